using System.Management.Automation;
using System.Net;

using Renku.PowerShell.Auth;
using Renku.PowerShell.Buildpacks;
using Renku.PowerShell.Builds;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Docker;
using Renku.PowerShell.Sessions.Docker;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Http;
using Renku.PowerShell.Images;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Registry;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.Sessions;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// The one table from engine failures to error records: a stable id, a category, the target and
/// what to do. Every cmdlet reports through it; an exception it does not know is not a domain
/// failure but a bug, and the caller lets it surface as itself.
/// </summary>
internal static class ErrorMap
{
    /// <summary>True when <see cref="For"/> has a record for <paramref name="exception"/>.</summary>
    internal static bool Knows(Exception exception) => For(exception, null) is not null;

    /// <summary>
    /// The error record for <paramref name="exception"/>, or null when it is not a failure the
    /// engine reports by design. A cancellation is not a failure: a stop surfaces as the stop, and
    /// a timeout the engine means to report is its own exception (<see cref="HttpTimeoutException"/>
    /// for Renku, <see cref="RegistryErrorKind.TimedOut"/> for a registry, ...).
    /// </summary>
    internal static ErrorRecord? For(Exception exception, object? target)
    {
        return exception switch
        {
            RegistryException registry => Registry(registry, target),
            KubernetesException kubernetes => Kubernetes(kubernetes, target),
            RenkuApiException api => RenkuApi(api, target),
            OAuthException oauth => OAuth(oauth, target),
            InvalidAccessTokenException token => Record(token, ErrorIds.InvalidAccessToken, target, token.Message, "Nothing was sent. Pass the token itself, e.g. -AccessToken (Get-Secret RenkuToken) or $env:RENKU_ACCESS_TOKEN."),
            UnencryptedCredentialException plain => Record(plain, ErrorIds.UnencryptedCredentialRefused, target, plain.Message, null),
            HttpTimeoutException late => Record(late, ErrorIds.RenkuTimeout, target, late.Message, "Check that Renku is up; Connect-RenkuInstance -Timeout sets how long one request may take."),
            ImageReferenceException reference => InvalidReference(reference.Reference ?? target?.ToString() ?? string.Empty, reference.Message, target),
            ImageBuildException build => Build(build, target),
            DockerEngineException { InvalidAddress: true } docker => Record(docker, ErrorIds.InvalidBuildInput, target, docker.Message, "Give -DockerHost as unix:///path, npipe:////./pipe/name or tcp://host:port."),
            DockerEngineException { Unreachable: true } docker => Record(docker, ErrorIds.DockerEngineUnavailable, target, docker.Message, "Start the Docker engine, or point -DockerHost (or DOCKER_HOST) at a running one."),
            DockerEngineException docker => Record(docker, ErrorIds.ImageUnreadable, target, $"{target}: {docker.Message}", null),
            SessionNetworkException network => Record(network, network.Problem switch { SessionNetworkProblem.PortInUse => ErrorIds.SessionPortInUse, SessionNetworkProblem.ListenerUnverified => ErrorIds.SessionListenerUnverified, _ => ErrorIds.SessionNetworkUnavailable }, target, network.Message, "A session check puts its container on a bridge network of its own; the host's network is the last resort. Let the engine create bridge networks (or give it a default bridge) so that no other process can answer for the session."),
            CompliancePolicyException policy => Record(policy, ErrorIds.InvalidCompliancePolicy, target, policy.Message, "Fix the policy: settings Name, Rules, AllowedDistributions, Uid, Gid, UserName, AllowedRegistries, MaxCompressedSize, RequiredPlatforms; rule levels Off, Info, Warning, Error."),
            EnvironmentFileException file => Record(file, ErrorIds.EnvironmentFileInvalid, target, file.Message, "Nothing was sent to Renku. Fix the file: a top-level 'environments' list whose entries use the API's field names."),
            EnvironmentNameException names => Record(names, names.Duplicate ? ErrorIds.DuplicateEnvironmentName : ErrorIds.EnvironmentNameAmbiguous, target, names.Message + " Nothing was sent.", null),
            SessionSettingsException settings => Record(settings, ErrorIds.InvalidEnvironmentSettings, target, target is null ? settings.Message : $"{target}: {settings.Message}", "Fix the environment settings (port 1..65399, uid/gid 1..65535, absolute directories)."),
            HttpRequestException http => Record(http, ErrorIds.RenkuUnreachable, target, $"Renku could not be reached: {http.Message}", "Check the URL, the network and the TLS certificate."),
            _ => null,
        };
    }

    internal static ErrorRecord Registry(RegistryException ex, object? target)
    {
        (string id, string action) = ex.Kind switch
        {
            RegistryErrorKind.NotFound => (ErrorIds.ImageNotFound, "Check the repository, tag or digest (Get-RenkuImageTag lists the tags)."),
            RegistryErrorKind.Unauthorized => (ErrorIds.RegistryUnauthorized, "Pass -Credential, or log in with 'docker login <registry>'."),
            RegistryErrorKind.Unreachable => (ErrorIds.RegistryUnreachable, "Check the registry name, the network and any proxy; plain-HTTP registries need -InsecureRegistry."),
            RegistryErrorKind.RateLimited => (ErrorIds.RegistryRateLimited, "Wait and try again, or log in for a higher limit."),
            RegistryErrorKind.DigestMismatch => (ErrorIds.DigestMismatch, "Do not trust this content; try again, and report the registry or proxy if it persists."),
            RegistryErrorKind.TooLarge => (ErrorIds.ImageTooLarge, "The manifest, config or layers exceed the client's bounds."),
            RegistryErrorKind.PlatformNotFound => (ErrorIds.PlatformNotFound, "Pick one of the platforms the image offers with -Platform."),
            RegistryErrorKind.UnsupportedMediaType => (ErrorIds.UnsupportedManifest, "Push the image again with a current client (OCI or Docker schema 2)."),
            RegistryErrorKind.InvalidArchive => (ErrorIds.InvalidImageArchive, "Give a 'docker save' archive or an OCI image layout (folder or tar)."),
            RegistryErrorKind.TimedOut => (ErrorIds.RegistryTimeout, "Check the registry and the network; -RegistryTimeout gives a slow registry more time."),
            RegistryErrorKind.UnencryptedCredential => (ErrorIds.UnencryptedCredentialRefused, "Use a registry whose token service is on https, or name the token service's host with -InsecureRegistry on a network you trust."),
            _ => (ErrorIds.RegistryInvalidResponse, "The registry broke the distribution protocol; try again or report it."),
        };
        return Record(ex, id, target, ex.Message, action);
    }

    /// <param name="notFoundId">The id for a missing resource where that means something specific (the Amalthea CRD, say).</param>
    internal static ErrorRecord Kubernetes(KubernetesException ex, object? target, string? notFoundId = null)
    {
        (string id, string action) = ex.Kind switch
        {
            KubernetesErrorKind.NotConfigured => (ErrorIds.KubernetesNotConfigured, "Pass -Kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config (kubectl config view shows what kubectl uses)."),
            KubernetesErrorKind.ConfigurationInvalid => (ErrorIds.KubernetesConfigurationInvalid, "Check the kubeconfig file and the -Context name (kubectl config get-contexts)."),
            KubernetesErrorKind.Unreachable => (ErrorIds.KubernetesUnreachable, "Check that the cluster is up and reachable from here, and the server address in the kubeconfig."),
            KubernetesErrorKind.Unauthorized => (ErrorIds.KubernetesUnauthorized, "Log in to the cluster again or renew the kubeconfig user's token."),
            KubernetesErrorKind.Forbidden => (ErrorIds.KubernetesForbidden, "Use a context whose user has the RBAC permission named in the message, or ask a cluster administrator for it."),
            KubernetesErrorKind.NotFound => (notFoundId ?? ErrorIds.KubernetesNotFound, "Check the -Namespace and -Context: they must be those of the Renku deployment."),
            KubernetesErrorKind.Expired => (ErrorIds.KubernetesListExpired, "Run the command again."),
            KubernetesErrorKind.Invalid => (ErrorIds.KubernetesRequestFailed, "See the message for the refused field."),
            KubernetesErrorKind.Conflict => (ErrorIds.KubernetesRequestFailed, "Run the command again."),
            _ => (ErrorIds.KubernetesRequestFailed, "Try again later, or check the API server's health."),
        };
        return Record(ex, id, target, ex.Message, action);
    }

    private static ErrorRecord RenkuApi(RenkuApiException api, object? target)
    {
        (string id, string advice) = api.StatusCode switch
        {
            HttpStatusCode.Unauthorized => (ErrorIds.RenkuUnauthorized, "The token is invalid or expired; run Connect-RenkuInstance again."),
            HttpStatusCode.Forbidden => (ErrorIds.RenkuForbidden, "This needs a Renku admin (the renku-admin realm role)."),
            HttpStatusCode.NotFound => (ErrorIds.RenkuNotFound, "Check the id with Get-RenkuGlobalEnvironment."),
            HttpStatusCode.Conflict => (ErrorIds.RenkuConflict, "Read the current state and try again."),
            HttpStatusCode.UnprocessableEntity => (ErrorIds.RenkuValidationFailed, "Correct the field the message names."),
            >= HttpStatusCode.InternalServerError => (ErrorIds.RenkuServerError, "The data service failed; see its logs, or retry."),
            _ => (ErrorIds.RenkuApiError, "See the message for what the API refused."),
        };
        return Record(api, id, target, api.Message, advice);
    }

    private static ErrorRecord OAuth(OAuthException oauth, object? target)
    {
        string id = oauth.Error switch
        {
            "access_denied" => ErrorIds.DeviceAuthorizationDenied,
            "expired_token" => ErrorIds.DeviceAuthorizationExpired,
            "untrusted_endpoint" => ErrorIds.AuthorityEndpointRefused,
            _ => ErrorIds.RenkuAuthenticationFailed,
        };
        return Record(oauth, id, target, oauth.Message, null);
    }

    private static ErrorRecord Build(ImageBuildException ex, object? target)
    {
        (string id, string action) = ex.Failure switch
        {
            ImageBuildFailure.EngineUnavailable => (ErrorIds.DockerEngineUnavailable, "Start the Docker engine, or point -DockerHost (or DOCKER_HOST) at a running one."),
            ImageBuildFailure.InvalidInput => (ErrorIds.InvalidBuildInput, "Fix the path, Dockerfile or engine address named in the message."),
            ImageBuildFailure.InvalidDockerignore => (ErrorIds.InvalidDockerignore, "Fix the .dockerignore line named in the message (escape a literal '[', ']' or '\\' with a backslash)."),
            ImageBuildFailure.ContextUnreadable => (ErrorIds.BuildContextUnreadable, "Make the named entry readable, keep it in place while the build runs, or add it to .dockerignore."),
            ImageBuildFailure.PushFailed => (ErrorIds.DockerPushFailed, "Check the registry address and -Credential; the image was built and stays in the engine."),
            ImageBuildFailure.PackNotFound => (ErrorIds.PackNotFound, PackLocator.InstallHint),
            ImageBuildFailure.PackFailed => (ErrorIds.PackBuildFailed, "Read the pack output quoted above; run with -Verbose for all of it."),
            ImageBuildFailure.GitUnavailable => (ErrorIds.GitRevisionUnavailable, "Build from a git checkout with at least one commit, or tag with -Tag only."),
            _ => (ErrorIds.DockerBuildFailed, "Fix the failing step (its output is quoted above); run with -Verbose for the whole build output."),
        };

        string message = ex.Message;
        if (ex.Output.Count > 0)
        {
            message += Environment.NewLine + string.Join(Environment.NewLine, ex.Output.TakeLast(15).Select(l => "  " + l));
        }

        return Record(ex, id, ex.FailedStep ?? target, message, action);
    }

    /// <summary>
    /// The record for a failure while an image archive is read: the file could not be read (or its
    /// content is not what its format promises) is <c>ArchiveUnreadable</c>; anything else as <see cref="For"/> maps it.
    /// </summary>
    internal static ErrorRecord? ForArchive(Exception exception, object? target) => exception is IOException or UnauthorizedAccessException or InvalidDataException
        ? Record(exception, ErrorIds.ArchiveUnreadable, target, $"{target}: {exception.Message}", null)
        : For(exception, target);

    /// <summary>The one record for text that is not an image reference.</summary>
    internal static ErrorRecord InvalidReference(string text, string problem, object? target = null) =>
        Record(new ImageReferenceException(text, "reference", problem), ErrorIds.InvalidImageReference, target ?? text, problem, "Write the reference as [registry[:port]/]repository[:tag][@sha256:<64 hex>], repository in lowercase.");

    internal static ErrorRecord Validation(EnvironmentValidationProblem problem, object? target) =>
        Record(new ArgumentException(problem.Message, problem.Parameter), problem.ErrorId, target ?? problem.Value, problem.Message, "Nothing was sent to Renku. Correct the value and run the command again.");

    /// <summary>Text that is not a Renku id (a ULID), refused before anything is sent; the advice fits <paramref name="command"/>.</summary>
    internal static ErrorRecord InvalidId(string id, string errorId, string command) =>
        Record(
            new ArgumentException($"'{id}' is not a Renku id: ids are 26-character ULIDs such as 01HZ5Q3K8M0000000000000000."),
            errorId,
            id,
            $"'{id}' is not a Renku id (a 26-character ULID).",
            errorId == ErrorIds.InvalidProjectId
                ? "Copy the project id from a launcher's ProjectId (Get-RenkuSessionLauncher)."
                : $"Copy the Id from Get-RenkuGlobalEnvironment, or select by name and pipe: Get-RenkuGlobalEnvironment -Name <name> | {command}.");

    internal static ErrorRecord EnvironmentNotFound(string id) =>
        Record(new ItemNotFoundException($"There is no global environment with the id {id}."), ErrorIds.EnvironmentNotFound, id, $"There is no global environment with the id {id}.", "List the environments with Get-RenkuGlobalEnvironment -IncludeArchived.");

    internal static ErrorRecord NotConnected() =>
        Record(new InvalidOperationException("There is no connection to Renku."), ErrorIds.RenkuNotConnected, null, "There is no connection to Renku.", "Run Connect-RenkuInstance -Uri https://<your Renku> first, or pass -Connection.");

    internal static ErrorRecord AdminRequired(string command, RenkuConnection connection)
    {
        string message = $"{command} needs a Renku admin, and {connection.UserName} on {connection.Uri} is not one (no 'renku-admin' realm role).";
        return Record(new UnauthorizedAccessException(message), ErrorIds.RenkuAdminRequired, connection, message, "Connect as a user (or a client whose service account) holds the renku-admin role.");
    }

    /// <summary>An argument the cmdlet refuses before doing anything.</summary>
    internal static ErrorRecord InvalidArgument(string id, string message, object? target, string? action = null) =>
        Record(new ArgumentException(message), id, target, message, action);

    /// <summary>Parameters given together that exclude each other; refused before anything is done.</summary>
    internal static ErrorRecord ConflictingParameters(string id, string message, object? target, string? action = null) =>
        Record(new ArgumentException(message), id, target, message, action);

    // ---- Paths (ProviderPaths reports through these; the id is the path's role's) ----------------

    private const string PathAdvice = "Check the path: it is relative to the current location ($PWD) and may use ~ and PSDrives; -LiteralPath takes names with wildcard characters as they are.";

    /// <summary>A path that names nothing (a literal path), or a pattern that matches nothing.</summary>
    internal static ErrorRecord PathNotFound(string id, string path, string what, bool wildcard, string? advice = null)
    {
        string message = wildcard ? $"No {what} matches '{path}'." : $"The {what} '{path}' does not exist.";
        return Record(new ItemNotFoundException(message), id, path, message, advice ?? PathAdvice);
    }

    /// <summary>A path of another provider (Env:, Variable:, a registry hive, ...): the module reads and writes files only.</summary>
    internal static ErrorRecord PathNotOnFileSystem(string id, string path, string what, string provider)
    {
        string message = $"'{path}' is a path of the {provider} provider; the {what} must be on the file system.";
        return Record(new ArgumentException(message), id, path, message, "Give a file system path: relative to the current folder, rooted, with ~, or on a FileSystem drive.");
    }

    /// <summary>A folder where a file is needed, or a file where a folder is.</summary>
    internal static ErrorRecord PathOfWrongKind(string id, string path, string what, bool isFolder, string? advice = null)
    {
        string message = isFolder ? $"'{path}' is a folder; the {what} must be a file." : $"'{path}' is a file; the {what} must be a folder.";
        return Record(new ArgumentException(message), id, path, message, advice ?? PathAdvice);
    }

    /// <summary>A pattern that matches several items where one is needed.</summary>
    internal static ErrorRecord PathAmbiguous(string id, string path, string what, int count, string? advice = null)
    {
        string message = $"'{path}' matches {count} items; the {what} must be one.";
        return Record(new ArgumentException(message), id, path, message, advice ?? "Give a path that names exactly one, or -LiteralPath.");
    }

    /// <summary>A file to write whose folder does not exist.</summary>
    internal static ErrorRecord PathFolderMissing(string id, string path, string full, string? advice = null)
    {
        string message = $"The folder of '{full}' does not exist; create it first.";
        return Record(new DirectoryNotFoundException(message), id, path, message, advice ?? "Create the folder, or write to one that exists.");
    }

    /// <summary>A file to write that exists, with -NoClobber.</summary>
    internal static ErrorRecord PathExists(string id, string path, string full)
    {
        string message = $"'{full}' exists and -NoClobber was given.";
        return Record(new IOException(message), id, path, message, "Choose another path or leave out -NoClobber.");
    }

    /// <summary>Text PowerShell cannot resolve as a path (a drive or provider that does not exist, say).</summary>
    internal static ErrorRecord PathInvalid(string id, string path, string what, Exception problem, string? advice = null)
    {
        string message = $"The {what} '{path}' cannot be resolved: {problem.Message}";
        return Record(problem, id, path, message, advice ?? PathAdvice);
    }

    /// <summary>Something the input names (an environment, a pool) that does not exist.</summary>
    internal static ErrorRecord NotFound(string id, string message, object? target, string? action = null) =>
        Record(new ItemNotFoundException(message), id, target, message, action);

    /// <summary>A request the cmdlet turns down because of the state it found (in use, taken, too many, not confirmed).</summary>
    internal static ErrorRecord Refused(string id, string message, object? target, string? action = null, Exception? cause = null) =>
        Record(new InvalidOperationException(message, cause), id, target, message, action);

    /// <summary>An exception the cmdlet expected at this place (a file it reads, a value it parses), reported as it is under <paramref name="id"/>.</summary>
    internal static ErrorRecord Record(Exception exception, string id, object? target) => Record(exception, id, target, null, null);

    /// <summary>The one place an error record is made: <paramref name="id"/> brings its category (<see cref="ErrorIds.CategoryOf"/>).</summary>
    internal static ErrorRecord Record(Exception exception, string id, object? target, string? message, string? action)
    {
        var record = new ErrorRecord(exception, id, ErrorIds.CategoryOf(id), target);
        if (message is not null || action is not null)
        {
            record.ErrorDetails = new ErrorDetails(message ?? exception.Message) { RecommendedAction = action };
        }

        return record;
    }
}
