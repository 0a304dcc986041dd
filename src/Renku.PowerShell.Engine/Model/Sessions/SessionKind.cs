namespace Renku.PowerShell;

/// <summary>How Renku runs an environment's image, which decides how a session check runs it.</summary>
public enum SessionKind
{
    /// <summary>A server people open in the browser: probed on its port, reached through the ingress, kept running.</summary>
    Interactive,

    /// <summary>
    /// A command run to completion (a non-interactive launcher): no probe, no ingress,
    /// <c>RENKU_JOB=1</c> and <c>RENKU_SUBMISSION_ID</c>; it passes when the command exits 0.
    /// </summary>
    Job,
}
