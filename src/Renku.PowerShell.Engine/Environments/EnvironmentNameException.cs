namespace Renku.PowerShell.Environments;

/// <summary>A sync cannot pair file entries with Renku's environments by name: a name is listed twice, or Renku holds it twice.</summary>
public sealed class EnvironmentNameException : InvalidOperationException
{
    public EnvironmentNameException(string name, bool duplicate, string message)
        : base(message)
    {
        Name = name;
        Duplicate = duplicate;
    }

    /// <summary>The name at fault.</summary>
    public string Name { get; }

    /// <summary>True when the file lists the name more than once; false when Renku has several environments of that name.</summary>
    public bool Duplicate { get; }
}
