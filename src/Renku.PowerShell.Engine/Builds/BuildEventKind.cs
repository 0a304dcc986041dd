namespace Renku.PowerShell.Builds;

/// <summary>What a <see cref="BuildEvent"/> tells the caller.</summary>
public enum BuildEventKind
{
    /// <summary>A build step began (<see cref="BuildEvent.Step"/> of <see cref="BuildEvent.TotalSteps"/>).</summary>
    StepStarted,

    /// <summary>A line of build output.</summary>
    Output,

    /// <summary>Something the user should look at, the build goes on.</summary>
    Warning,

    /// <summary>Progress of a transfer (a pull during the build, or a push), with <see cref="BuildEvent.Percent"/>.</summary>
    Transfer,

    /// <summary>Detail for debugging.</summary>
    Debug,
}
