namespace Renku.PowerShell.Docker;

/// <summary>One file, directory or symbolic link of a build context, as it goes into the tar.</summary>
internal sealed record BuildContextEntry(
    string SourcePath,
    string Name,
    BuildContextEntryKind Kind,
    long Size,
    UnixFileMode Mode,
    DateTimeOffset Modified,
    string? LinkTarget);
