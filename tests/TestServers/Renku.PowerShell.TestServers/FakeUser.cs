namespace Renku.PowerShell.TestServers;

/// <summary>A Keycloak user (or a client's service account) of the fake realm.</summary>
public sealed record FakeUser(string Id, string UserName, string? Email, string? FirstName, string? LastName, bool IsAdmin)
{
    public IReadOnlyList<string> Roles => IsAdmin ? new[] { "renku-admin", "default-roles-renku" } : new[] { "default-roles-renku" };
}
