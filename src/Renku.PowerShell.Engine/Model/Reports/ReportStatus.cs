namespace Renku.PowerShell;

/// <summary>How much a finding of the environment report asks for attention, least first; a row's status is its worst finding.</summary>
public enum ReportStatus
{
    /// <summary>Nothing to do.</summary>
    Ok,

    /// <summary>Worth knowing (a patch release, an environment no launcher uses).</summary>
    Info,

    /// <summary>Could not be found out (a registry or image that could not be read).</summary>
    Unknown,

    /// <summary>Should be looked at (compliance warnings, a newer minor or major, archived but used, restarting sessions).</summary>
    Warning,

    /// <summary>Broken or risky now (failed compliance, a tag pushed again, a missing tag, failed sessions).</summary>
    Failure,
}
