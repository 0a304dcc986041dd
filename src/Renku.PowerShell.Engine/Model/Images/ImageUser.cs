namespace Renku.PowerShell;

/// <summary>
/// The image's USER resolved against its /etc/passwd and /etc/group. <c>USER 1000</c> with no
/// group takes the gid from passwd; an empty USER means root.
/// </summary>
public sealed class ImageUser
{
    /// <summary>The USER value as written in the config (empty means root).</summary>
    public string Spec { get; init; } = string.Empty;

    public string? UserName { get; init; }

    public int? Uid { get; init; }

    public string? GroupName { get; init; }

    public int? Gid { get; init; }

    /// <summary>The home directory from passwd.</summary>
    public string? Home { get; init; }

    /// <summary>True when the user (and group, if named) were found or are numeric.</summary>
    public bool Resolved { get; init; }

    /// <summary>Why resolution failed, when it did.</summary>
    public string? Problem { get; init; }

    public override string ToString() => $"{UserName ?? Uid?.ToString() ?? "?"}({Uid?.ToString() ?? "?"}):{GroupName ?? Gid?.ToString() ?? "?"}({Gid?.ToString() ?? "?"})";
}
