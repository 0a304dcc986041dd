namespace Renku.PowerShell.TestSupport.Hostile;

/// <summary>The ways a <see cref="HostileHttpServer"/> can answer.</summary>
public enum HostileBehaviour
{
    Answer,
    NeverAnswer,
    EndlessHeaders,
    Drip,
    StallMidBody,
}
