namespace Renku.PowerShell.Docker;

/// <summary>The Docker engine could not be reached or refused what was asked; the message says which and why.</summary>
public sealed class DockerEngineException : Exception
{
    public DockerEngineException(string message)
        : base(message)
    {
    }

    public DockerEngineException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when the engine itself could not be reached (as opposed to refusing a request).</summary>
    public bool Unreachable { get; init; }

    /// <summary>True when the engine address itself is malformed or of an unsupported kind (nothing was sent).</summary>
    public bool InvalidAddress { get; init; }
}
