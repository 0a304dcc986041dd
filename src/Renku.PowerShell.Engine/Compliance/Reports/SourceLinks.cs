namespace Renku.PowerShell.Compliance.Reports;

/// <summary>
/// Links to a line of a file in the checked-out repository, as a reader of a CI summary can
/// follow them: in GitHub Actions to the file at the built commit on GitHub; in Azure Pipelines to
/// the file at the built commit in Azure Repos (or on GitHub when the pipeline builds a GitHub
/// repository); elsewhere a path relative to the folder of the written report. A file outside the
/// checkout gets no link.
/// </summary>
public sealed class SourceLinks
{
    private readonly string? workspace;
    private readonly string? relativeTo;
    private readonly Func<string, int?, string?> link;

    /// <param name="workspace">The checkout: only files under it get a link.</param>
    /// <param name="relativeTo">Instead, links relative to this folder, for any file.</param>
    private SourceLinks(string? workspace, string? relativeTo, Func<string, int?, string?> link)
    {
        this.workspace = workspace;
        this.relativeTo = relativeTo;
        this.link = link;
    }

    /// <summary>
    /// The links for the CI system the variables describe; relative to <paramref name="reportFolder"/>
    /// when there is none (or it does not say where the repository is).
    /// </summary>
    public static SourceLinks For(Func<string, string?> getVariable, string? reportFolder)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value : null;

        if (CiAnnotations.Detect(getVariable) == "GitHubActions"
            && Get("GITHUB_SERVER_URL") is { } server && Get("GITHUB_REPOSITORY") is { } repository && Get("GITHUB_SHA") is { } sha && Get("GITHUB_WORKSPACE") is { } checkout)
        {
            string root = $"{server.TrimEnd('/')}/{repository}/blob/{sha}/";
            return new SourceLinks(checkout, null, (path, line) => root + EscapePath(path) + (line is int l ? "#L" + l : string.Empty));
        }

        if (CiAnnotations.Detect(getVariable) == "AzurePipelines" && Get("BUILD_SOURCEVERSION") is { } commit && Get("BUILD_SOURCESDIRECTORY") is { } sources)
        {
            string? provider = Get("BUILD_REPOSITORY_PROVIDER");
            if (string.Equals(provider, "TfsGit", StringComparison.OrdinalIgnoreCase)
                && Get("SYSTEM_COLLECTIONURI") is { } collection && Get("SYSTEM_TEAMPROJECT") is { } project && Get("BUILD_REPOSITORY_NAME") is { } name)
            {
                string root = $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_git/{Uri.EscapeDataString(name)}?version=GC{commit}&path=/";
                return new SourceLinks(sources, null, (path, line) => root + EscapePath(path) + (line is int l ? $"&line={l}&lineEnd={l + 1}&lineStartColumn=1&lineEndColumn=1" : string.Empty));
            }

            if (string.Equals(provider, "GitHub", StringComparison.OrdinalIgnoreCase) && Get("BUILD_REPOSITORY_URI") is { } uri)
            {
                string web = uri.TrimEnd('/');
                web = web.EndsWith(".git", StringComparison.Ordinal) ? web[..^4] : web;
                string root = $"{web}/blob/{commit}/";
                return new SourceLinks(sources, null, (path, line) => root + EscapePath(path) + (line is int l ? "#L" + l : string.Empty));
            }
        }

        if (reportFolder is null)
        {
            return new SourceLinks(null, null, (_, _) => null);
        }

        // Outside CI the report is read beside the files it names: a link relative to its folder.
        return new SourceLinks(null, reportFolder, (path, line) => EscapePath(path) + (line is int l ? "#L" + l : string.Empty));
    }

    /// <summary>The link to <paramref name="file"/> (at <paramref name="line"/>), or null when there is none.</summary>
    public string? To(string file, int? line)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        string full = Path.GetFullPath(file);
        if (relativeTo is not null)
        {
            return link(Path.GetRelativePath(relativeTo, full), line);
        }

        if (workspace is null)
        {
            return null;
        }

        string relative = Path.GetRelativePath(workspace, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? null : link(relative, line);
    }

    private static string EscapePath(string relative) =>
        string.Join('/', relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Select(s => s == ".." ? s : Uri.EscapeDataString(s)));
}
