namespace Renku.PowerShell;

/// <summary>Where an image stands against the tags its repository offers.</summary>
public enum UpgradeStatus
{
    /// <summary>Nothing newer anywhere: no newer version in the tag's stream and no newer sibling stream.</summary>
    UpToDate,

    /// <summary>
    /// Up to date in its stream, but newer sibling streams exist (listed in <c>NewerStreams</c>,
    /// such as <c>2.11.0-python3.13</c> beside <c>2.10.3-python3.12</c>); never chosen silently.
    /// </summary>
    NewerStream,

    /// <summary>A newer patch of the same major.minor exists.</summary>
    PatchAvailable,

    /// <summary>A newer minor of the same major exists.</summary>
    MinorAvailable,

    /// <summary>A newer major exists.</summary>
    MajorAvailable,

    /// <summary><c>latest</c> or no tag: nothing pins the image.</summary>
    Unpinned,

    /// <summary>The tag is not a version (a commit id, a date, a name): no order to upgrade along.</summary>
    UnknownScheme,

    /// <summary>The registry does not list the tag in use.</summary>
    TagMissing,

    /// <summary>The registry could not be asked (unreachable, refused, not found).</summary>
    RegistryError,
}
