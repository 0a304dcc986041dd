namespace Renku.PowerShell.RenkuApi;

/// <summary>The caller as <c>GET /user</c> describes them.</summary>
public sealed class RenkuUser
{
    public string Id { get; init; } = string.Empty;

    public string UserName { get; init; } = string.Empty;

    public string? Email { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public bool IsAdmin { get; init; }
}
