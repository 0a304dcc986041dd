namespace Renku.PowerShell.Builds;

/// <summary>What a build context entry is in the tar, as the docker CLI sends it.</summary>
internal enum BuildContextEntryKind
{
    File,
    Directory,
    SymbolicLink,

    /// <summary>A second name of a file already sent (same inode): a tar hard link to the first name.</summary>
    HardLink,

    /// <summary>A named pipe: sent as a fifo entry without content, never opened.</summary>
    Fifo,

    CharacterDevice,
    BlockDevice,
}
