namespace Renku.PowerShell.Builds;

/// <summary>A build or push failed; carries the failing step and the output that led to it.</summary>
public sealed class ImageBuildException : Exception
{
    public ImageBuildException(ImageBuildFailure failure, string message, string? failedStep = null, IReadOnlyList<string>? output = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        FailedStep = failedStep;
        Output = output ?? Array.Empty<string>();
    }

    public ImageBuildFailure Failure { get; }

    /// <summary>The step that failed, as the engine printed it (<c>Step 3/5 : RUN make</c>).</summary>
    public string? FailedStep { get; }

    /// <summary>The last lines of output before the failure.</summary>
    public IReadOnlyList<string> Output { get; }
}
