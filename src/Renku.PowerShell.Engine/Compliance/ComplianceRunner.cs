using Renku.PowerShell.Docker;

namespace Renku.PowerShell;

/// <summary>
/// Runs a whole check for one image: reads the image from its source, optionally starts it in a
/// session runtime, and evaluates the policy's rules. What Test-RenkuImageCompliance and other
/// commands (a build's verification step) call.
/// </summary>
public sealed class ComplianceRunner
{
    private readonly Func<ComplianceJob, ImageReference?, CancellationToken, Task<ImageInfo>>? registryReader;
    private readonly Func<ComplianceJob, CancellationToken, Task<ImageInfo>>? archiveReader;

    /// <param name="registryReader">Reads an image from its registry; null when no registry client is available.</param>
    /// <param name="archiveReader">Reads an image archive; null when no archive reader is available.</param>
    public ComplianceRunner(
        Func<ComplianceJob, ImageReference?, CancellationToken, Task<ImageInfo>>? registryReader = null,
        Func<ComplianceJob, CancellationToken, Task<ImageInfo>>? archiveReader = null)
    {
        this.registryReader = registryReader;
        this.archiveReader = archiveReader;
    }

    /// <summary>Checks one image. Throws <see cref="ImageReferenceException"/>, <see cref="DockerEngineException"/> or the reader's exceptions when the image cannot be read.</summary>
    public async Task<ComplianceReport> CheckAsync(ComplianceJob job, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ImageReference? reference = null;
        if (job.Source is ComplianceImageSource.Registry or ComplianceImageSource.Docker && job.Image is not null)
        {
            // An image id is fine for a Docker engine; anything else must be a valid reference.
            if (!(job.Source == ComplianceImageSource.Docker && LooksLikeImageId(job.Image)))
            {
                reference = ImageReference.Parse(job.Image);
            }
        }

        ImageInfo? image = null;
        switch (job.Source)
        {
            case ComplianceImageSource.Docker:
                progress?.Report($"Reading {job.Image} from the Docker engine");
                image = await DockerImageReader.ReadAsync(job.Image!, job.DockerHost, cancellationToken).ConfigureAwait(false);
                break;
            case ComplianceImageSource.Registry:
                progress?.Report($"Reading {reference} from its registry");
                image = registryReader is null
                    ? throw new NotSupportedException("This build has no registry client; read the image from a Docker engine with -Source Docker.")
                    : await registryReader(job, reference, cancellationToken).ConfigureAwait(false);
                break;
            case ComplianceImageSource.Archive:
                progress?.Report($"Reading the archive {job.Image}");
                image = archiveReader is null
                    ? throw new NotSupportedException("This build has no archive reader.")
                    : await archiveReader(job, cancellationToken).ConfigureAwait(false);
                reference ??= image.Reference;
                break;
        }

        SessionCheck? session = null;
        if (job.Runtime is not null && job.Image is not null)
        {
            string runnable = job.Source == ComplianceImageSource.Archive ? image?.Reference?.FullName ?? job.Image : job.Image;
            progress?.Report($"Starting {runnable} as a session in {job.Runtime.Name}");
            session = await job.Runtime.RunAsync(
                new SessionCheckRequest
                {
                    Image = runnable,
                    Settings = job.Settings,
                    Layout = job.Settings.ResolveLayout(image?.Config.WorkingDir),
                    Probe = SessionCheckRequest.ProbeFor(job.ProbeTimeout),
                    ReadinessDeadline = job.ProbeTimeout,
                },
                progress,
                cancellationToken).ConfigureAwait(false);
        }

        return ComplianceEvaluator.Evaluate(new ComplianceRequest
        {
            Reference = reference,
            Image = image,
            Settings = job.Settings,
            Dockerfile = job.Dockerfile,
            Policy = job.Policy,
            Session = session,
        });
    }

    private static bool LooksLikeImageId(string text)
    {
        string hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
        return hex.Length is >= 12 and <= 64 && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') && !text.Contains('/') && !text.Contains(':', StringComparison.Ordinal) || text.StartsWith("sha256:", StringComparison.Ordinal);
    }
}
