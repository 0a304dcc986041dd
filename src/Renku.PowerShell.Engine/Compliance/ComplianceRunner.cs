using Renku.PowerShell.Docker;
using Renku.PowerShell.Registry;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Compliance;

/// <summary>
/// Runs a whole check for one image: reads the image from its source, optionally starts it in a
/// session runtime, and evaluates the policy's rules. What Test-RenkuImageCompliance and other
/// commands (a build's verification step) call.
/// </summary>
public sealed class ComplianceRunner
{
    private readonly ImageInspector inspector;

    /// <param name="inspector">
    /// Reads registries and archives. Share one across many checks: its HTTP connections, tokens
    /// and blob reads are reused. The caller keeps ownership.
    /// </param>
    public ComplianceRunner(ImageInspector inspector)
    {
        this.inspector = inspector ?? throw new ArgumentNullException(nameof(inspector));
    }

    /// <summary>
    /// Checks one image. Throws <see cref="ImageReferenceException"/>, <see cref="DockerEngineException"/>
    /// or <see cref="Registry.RegistryException"/> when the image cannot be read.
    /// </summary>
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
        string? unreadable = null;
        PublicAccess? access = null;

        // Renku's own pull check runs beside the module's reading of the registry.
        Task<(RenkuApi.PlatformImageCheck? Check, string? Problem)>? platform = null;
        if (job.Platform is not null && job.Source == ComplianceImageSource.Registry && reference is not null)
        {
            progress?.Report($"Asking Renku whether it can pull {job.Image}");
            platform = AskPlatformAsync(job.Platform, job.Image!, cancellationToken);
        }

        switch (job.Source)
        {
            case ComplianceImageSource.Docker:
                progress?.Report($"Reading {job.Image} from the Docker engine");
                image = await DockerImageReader.ReadAsync(job.Image!, job.DockerHost, cancellationToken).ConfigureAwait(false);
                break;
            case ComplianceImageSource.Registry:
                progress?.Report($"Reading {reference} from its registry");
                try
                {
                    image = await inspector.InspectAsync(reference!, new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = true }, cancellationToken).ConfigureAwait(false);
                }
                catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Unauthorized && !inspector.HasCredentialFor(reference!.Registry))
                {
                    // Refused to an anonymous client: that is the answer to "is it public?", and
                    // the report says so instead of failing; its content needs credentials.
                    unreadable = $"{reference.FamiliarName} could not be read without credentials (the registry refused an anonymous request), so its content was not checked; pass -Credential or log in with docker login to check it.";
                    access = PublicAccess.Private;
                }

                break;
            case ComplianceImageSource.Archive:
                progress?.Report($"Reading the archive {job.Image}");
                image = await inspector.InspectArchiveAsync(job.Image!, new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = false }, cancellationToken).ConfigureAwait(false);
                reference ??= image.Reference;
                break;
        }

        SessionCheck? session = null;
        if (job.Runtime is not null && job.Source == ComplianceImageSource.Archive)
        {
            throw new ArgumentException("A session check starts an image the runtime can pull or already holds; load the archive (docker load) and check it with -Source Docker.");
        }

        if (job.Runtime is not null && job.Image is not null)
        {
            string runnable = job.Image;
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

        (RenkuApi.PlatformImageCheck? platformCheck, string? platformProblem) = platform is null ? (null, null) : await platform.ConfigureAwait(false);
        return ComplianceEvaluator.Evaluate(new ComplianceRequest
        {
            Reference = reference,
            Image = image,
            ImageUnreadable = unreadable,
            PublicAccess = access,
            PlatformCheck = platformCheck,
            PlatformCheckProblem = platformProblem,
            Settings = job.Settings,
            Dockerfile = job.Dockerfile,
            Policy = job.Policy,
            Session = session,
        });
    }

    /// <summary>The platform's answer, or why there is none: a failing check never fails the compliance check.</summary>
    private static async Task<(RenkuApi.PlatformImageCheck?, string?)> AskPlatformAsync(RenkuApi.RenkuApiClient client, string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.CheckImageAsync(image, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is RenkuApi.RenkuApiException or HttpRequestException or InvalidOperationException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            return (null, ex.Message);
        }
    }

    private static bool LooksLikeImageId(string text)
    {
        string hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
        return hex.Length is >= 12 and <= 64 && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') && !text.Contains('/') && !text.Contains(':', StringComparison.Ordinal) || text.StartsWith("sha256:", StringComparison.Ordinal);
    }
}
