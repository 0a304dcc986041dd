namespace Renku.PowerShell.Reports;

/// <summary>How far the environment report has come: repositories listed and environments checked, out of all.</summary>
public sealed record EnvironmentReportProgress(int RepositoriesListed, int Repositories, int EnvironmentsChecked, int Environments, string? Current)
{
    /// <summary>Listings and checks done, out of all of them, in percent.</summary>
    public int Percent => Repositories + Environments == 0 ? 100 : (int)(100L * (RepositoriesListed + EnvironmentsChecked) / (Repositories + Environments));
}
