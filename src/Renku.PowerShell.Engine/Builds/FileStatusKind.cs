namespace Renku.PowerShell.Builds;

/// <summary>The file types <c>lstat</c> tells apart.</summary>
internal enum FileStatusKind
{
    File,
    Directory,
    SymbolicLink,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,

    /// <summary>A type the platform does not tell apart.</summary>
    Other,
}
