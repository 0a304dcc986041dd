namespace Renku.PowerShell.Upgrades;

/// <summary>How far an audit has come: repositories listed out of those to list.</summary>
public readonly record struct AuditProgress(int RepositoriesDone, int RepositoryCount, string? CurrentRepository);
