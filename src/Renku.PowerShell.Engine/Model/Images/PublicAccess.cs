namespace Renku.PowerShell;

/// <summary>What a request made with no credentials at all learns about an image.</summary>
public enum PublicAccess
{
    /// <summary>Not checked.</summary>
    Unknown,

    /// <summary>Anyone can pull it.</summary>
    Public,

    /// <summary>The registry wants credentials (401/403 without them).</summary>
    Private,

    /// <summary>The repository or tag does not exist (or the registry hides private ones as missing).</summary>
    NotFound,

    /// <summary>The registry refused with 429; try again later.</summary>
    RateLimited,

    /// <summary>The registry could not be reached.</summary>
    Unreachable,
}
