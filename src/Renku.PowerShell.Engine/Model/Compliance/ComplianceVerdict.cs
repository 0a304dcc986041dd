namespace Renku.PowerShell;

/// <summary>An image's compliance in one word, as the environment report shows it.</summary>
public enum ComplianceVerdict
{
    /// <summary>No rule of severity Error or Warning failed.</summary>
    Passed,

    /// <summary>No Error rule failed, but a Warning rule did.</summary>
    PassedWithWarnings,

    /// <summary>A rule of severity Error failed.</summary>
    Failed,

    /// <summary>The image could not be read (the registry refused or was unreachable, the reference is invalid).</summary>
    NotChecked,
}
