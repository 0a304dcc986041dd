namespace Renku.PowerShell.Environments;

/// <summary>
/// An environments file checked whole (<see cref="EnvironmentFile.Check"/>): the entries that could
/// be read, and every problem found, in file order. A file is fit to sync when it has no problems.
/// </summary>
public sealed class EnvironmentFileCheck
{
    internal EnvironmentFileCheck(string path, IReadOnlyList<EnvironmentFileItem> items, IReadOnlyList<EnvironmentFileProblem> problems)
    {
        Path = path;
        Items = items;
        Problems = problems;
    }

    public string Path { get; }

    /// <summary>The entries read (an entry with a problem of shape or type is left out); all of them when <see cref="IsValid"/>.</summary>
    public IReadOnlyList<EnvironmentFileItem> Items { get; }

    public IReadOnlyList<EnvironmentFileProblem> Problems { get; }

    public bool IsValid => Problems.Count == 0;

    /// <summary>The environments the file asks for (only meaningful when <see cref="IsValid"/>).</summary>
    public IReadOnlyList<EnvironmentSpec> Environments => Items.Select(i => i.Spec).ToList();
}
