namespace Renku.PowerShell.Builds;

/// <summary>
/// One entry of a build context, as it goes into the tar. <paramref name="LinkTarget"/> is a
/// symbolic link's target or, for a hard link, the name of the entry it shares its file with.
/// </summary>
internal sealed record BuildContextEntry(
    string SourcePath,
    string Name,
    BuildContextEntryKind Kind,
    long Size,
    UnixFileMode Mode,
    DateTimeOffset Modified,
    string? LinkTarget,
    int DeviceMajor = 0,
    int DeviceMinor = 0);
