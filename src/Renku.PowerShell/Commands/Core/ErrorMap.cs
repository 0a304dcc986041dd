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
    internal static bool Knows(Exception exception) => For(exception, null, cancelled: false) is not null;

    /// <summary>
    /// The error record for <paramref name="exception"/>, or null when it is not a failure the
    /// engine reports by design. <paramref name="cancelled"/> tells a timeout from a stop.
    /// </summary>
    internal static ErrorRecord? For(Exception exception, object? target, bool cancelled)
    {
        return exception switch
        {
            RegistryException registry => Registry(registry, target),
            KubernetesException kubernetes => Kubernetes(kubernetes, target),
            RenkuApiException api => RenkuApi(api, target),
            OAuthException oauth => OAuth(oauth, target),
            InvalidAccessTokenException token => Record(token, ErrorIds.InvalidAccessToken, ErrorCategory.InvalidArgument, target, token.Message, "Nothing was sent. Pass the token itself, e.g. -AccessToken (Get-Secret RenkuToken) or $env:RENKU_ACCESS_TOKEN."),
            UnencryptedCredentialException plain => Record(plain, ErrorIds.UnencryptedCredentialRefused, ErrorCategory.SecurityError, target, plain.Message, null),
            HttpTimeoutException late => Record(late, ErrorIds.RenkuTimeout, ErrorCategory.OperationTimeout, target, late.Message, "Check that Renku is up; Connect-RenkuInstance -Timeout sets how long one request may take."),
            ImageReferenceException reference => InvalidReference(reference.Reference ?? target?.ToString() ?? string.Empty, reference.Message, target),
            ImageBuildException build => Build(build, target),
            DockerEngineException { InvalidAddress: true } docker => Record(docker, ErrorIds.InvalidBuildInput, ErrorCategory.InvalidArgument, target, docker.Message, "Give -DockerHost as unix:///path, npipe:////./pipe/name or tcp://host:port."),
            DockerEngineException { Unreachable: true } docker => Record(docker, ErrorIds.DockerEngineUnavailable, ErrorCategory.ConnectionError, target, docker.Message, "Start the Docker engine, or point -DockerHost (or DOCKER_HOST) at a running one."),
            DockerEngineException docker => Record(docker, ErrorIds.ImageUnreadable, ErrorCategory.ObjectNotFound, target, $"{target}: {docker.Message}", null),
            SessionNetworkException network => Record(network, network.Problem switch { SessionNetworkProblem.PortInUse => ErrorIds.SessionPortInUse, SessionNetworkProblem.ListenerUnverified => ErrorIds.SessionListenerUnverified, _ => ErrorIds.SessionNetworkUnavailable }, network.Problem == SessionNetworkProblem.PortInUse ? ErrorCategory.ResourceBusy : ErrorCategory.ResourceUnavailable, target, network.Message, "A session check puts its container on a bridge network of its own; the host's network is the last resort. Let the engine create bridge networks (or give it a default bridge) so that no other process can answer for the session."),
            CompliancePolicyException policy => Record(policy, ErrorIds.InvalidCompliancePolicy, ErrorCategory.InvalidData, target, policy.Message, "Fix the policy: settings Name, Rules, AllowedDistributions, Uid, Gid, UserName, AllowedRegistries, MaxCompressedSize, RequiredPlatforms; rule levels Off, Info, Warning, Error."),
            EnvironmentFileException file => Record(file, ErrorIds.EnvironmentFileInvalid, ErrorCategory.ParserError, target, file.Message, "Nothing was sent to Renku. Fix the file: a top-level 'environments' list whose entries use the API's field names."),
            EnvironmentNameException names => Record(names, names.Duplicate ? ErrorIds.DuplicateEnvironmentName : ErrorIds.EnvironmentNameAmbiguous, ErrorCategory.InvalidData, target, names.Message + " Nothing was sent.", null),
            HttpRequestException http => Record(http, ErrorIds.RenkuUnreachable, ErrorCategory.ConnectionError, target, $"Renku could not be reached: {http.Message}", "Check the URL, the network and the TLS certificate."),
            TaskCanceledException timeout when !cancelled => Record(timeout, ErrorIds.RenkuTimeout, ErrorCategory.OperationTimeout, target, "Renku did not answer in time.", null),
            _ => null,
        };
    }

    internal static ErrorRecord Registry(RegistryException ex, object? target)
    {
        (string id, ErrorCategory category, string action) = ex.Kind switch
        {
            RegistryErrorKind.NotFound => (ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, "Check the repository, tag or digest (Get-RenkuImageTag lists the tags)."),
            RegistryErrorKind.Unauthorized => (ErrorIds.RegistryUnauthorized, ErrorCategory.PermissionDenied, "Pass -Credential, or log in with 'docker login <registry>'."),
            RegistryErrorKind.Unreachable => (ErrorIds.RegistryUnreachable, ErrorCategory.ConnectionError, "Check the registry name, the network and any proxy; plain-HTTP registries need -InsecureRegistry."),
            RegistryErrorKind.RateLimited => (ErrorIds.RegistryRateLimited, ErrorCategory.LimitsExceeded, "Wait and try again, or log in for a higher limit."),
            RegistryErrorKind.DigestMismatch => (ErrorIds.DigestMismatch, ErrorCategory.SecurityError, "Do not trust this content; try again, and report the registry or proxy if it persists."),
            RegistryErrorKind.TooLarge => (ErrorIds.ImageTooLarge, ErrorCategory.LimitsExceeded, "The manifest, config or layers exceed the client's bounds."),
            RegistryErrorKind.PlatformNotFound => (ErrorIds.PlatformNotFound, ErrorCategory.ObjectNotFound, "Pick one of the platforms the image offers with -Platform."),
            RegistryErrorKind.UnsupportedMediaType => (ErrorIds.UnsupportedManifest, ErrorCategory.NotImplemented, "Push the image again with a current client (OCI or Docker schema 2)."),
            RegistryErrorKind.InvalidArchive => (ErrorIds.InvalidImageArchive, ErrorCategory.InvalidData, "Give a 'docker save' archive or an OCI image layout (folder or tar)."),
            RegistryErrorKind.TimedOut => (ErrorIds.RegistryTimeout, ErrorCategory.OperationTimeout, "Check the registry and the network; -RegistryTimeout gives a slow registry more time."),
            RegistryErrorKind.UnencryptedCredential => (ErrorIds.UnencryptedCredentialRefused, ErrorCategory.SecurityError, "Use a registry whose token service is on https, or name the token service's host with -InsecureRegistry on a network you trust."),
            _ => (ErrorIds.RegistryInvalidResponse, ErrorCategory.InvalidData, "The registry broke the distribution protocol; try again or report it."),
        };
        return Record(ex, id, category, target, ex.Message, action);
    }

    /// <param name="notFoundId">The id for a missing resource where that means something specific (the Amalthea CRD, say).</param>
    internal static ErrorRecord Kubernetes(KubernetesException ex, object? target, string? notFoundId = null)
    {
        (string id, ErrorCategory category, string action) = ex.Kind switch
        {
            KubernetesErrorKind.NotConfigured => (ErrorIds.KubernetesNotConfigured, ErrorCategory.ObjectNotFound, "Pass -Kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config (kubectl config view shows what kubectl uses)."),
            KubernetesErrorKind.ConfigurationInvalid => (ErrorIds.KubernetesConfigurationInvalid, ErrorCategory.InvalidArgument, "Check the kubeconfig file and the -Context name (kubectl config get-contexts)."),
            KubernetesErrorKind.Unreachable => (ErrorIds.KubernetesUnreachable, ErrorCategory.ConnectionError, "Check that the cluster is up and reachable from here, and the server address in the kubeconfig."),
            KubernetesErrorKind.Unauthorized => (ErrorIds.KubernetesUnauthorized, ErrorCategory.AuthenticationError, "Log in to the cluster again or renew the kubeconfig user's token."),
            KubernetesErrorKind.Forbidden => (ErrorIds.KubernetesForbidden, ErrorCategory.PermissionDenied, "Use a context whose user has the RBAC permission named in the message, or ask a cluster administrator for it."),
            KubernetesErrorKind.NotFound => (notFoundId ?? ErrorIds.KubernetesNotFound, notFoundId is null ? ErrorCategory.ObjectNotFound : ErrorCategory.NotInstalled, "Check the -Namespace and -Context: they must be those of the Renku deployment."),
            KubernetesErrorKind.Expired => (ErrorIds.KubernetesListExpired, ErrorCategory.ResourceUnavailable, "Run the command again."),
            KubernetesErrorKind.Invalid => (ErrorIds.KubernetesRequestFailed, ErrorCategory.InvalidData, "See the message for the refused field."),
            KubernetesErrorKind.Conflict => (ErrorIds.KubernetesRequestFailed, ErrorCategory.ResourceExists, "Run the command again."),
            _ => (ErrorIds.KubernetesRequestFailed, ErrorCategory.ResourceUnavailable, "Try again later, or check the API server's health."),
        };
        return Record(ex, id, category, target, ex.Message, action);
    }

    private static ErrorRecord RenkuApi(RenkuApiException api, object? target)
    {
        (string id, ErrorCategory category, string advice) = api.StatusCode switch
        {
            HttpStatusCode.Unauthorized => (ErrorIds.RenkuUnauthorized, ErrorCategory.AuthenticationError, "The token is invalid or expired; run Connect-RenkuInstance again."),
            HttpStatusCode.Forbidden => (ErrorIds.RenkuForbidden, ErrorCategory.PermissionDenied, "This needs a Renku admin (the renku-admin realm role)."),
            HttpStatusCode.NotFound => (ErrorIds.RenkuNotFound, ErrorCategory.ObjectNotFound, "Check the id with Get-RenkuGlobalEnvironment."),
            HttpStatusCode.Conflict => (ErrorIds.RenkuConflict, ErrorCategory.ResourceExists, "Read the current state and try again."),
            HttpStatusCode.UnprocessableEntity => (ErrorIds.RenkuValidationFailed, ErrorCategory.InvalidData, "Correct the field the message names."),
            >= HttpStatusCode.InternalServerError => (ErrorIds.RenkuServerError, ErrorCategory.InvalidResult, "The data service failed; see its logs, or retry."),
            _ => (ErrorIds.RenkuApiError, ErrorCategory.InvalidResult, "See the message for what the API refused."),
        };
        return Record(api, id, category, target, api.Message, advice);
    }

    private static ErrorRecord OAuth(OAuthException oauth, object? target)
    {
        (string id, ErrorCategory category) = oauth.Error switch
        {
            "access_denied" => (ErrorIds.DeviceAuthorizationDenied, ErrorCategory.PermissionDenied),
            "expired_token" => (ErrorIds.DeviceAuthorizationExpired, ErrorCategory.OperationTimeout),
            "untrusted_endpoint" => (ErrorIds.AuthorityEndpointRefused, ErrorCategory.SecurityError),
            _ => (ErrorIds.RenkuAuthenticationFailed, ErrorCategory.AuthenticationError),
        };
        return Record(oauth, id, category, target, oauth.Message, null);
    }

    private static ErrorRecord Build(ImageBuildException ex, object? target)
    {
        (string id, ErrorCategory category, string action) = ex.Failure switch
        {
            ImageBuildFailure.EngineUnavailable => (ErrorIds.DockerEngineUnavailable, ErrorCategory.ResourceUnavailable, "Start the Docker engine, or point -DockerHost (or DOCKER_HOST) at a running one."),
            ImageBuildFailure.InvalidInput => (ErrorIds.InvalidBuildInput, ErrorCategory.InvalidArgument, "Fix the path, Dockerfile or engine address named in the message."),
            ImageBuildFailure.InvalidDockerignore => (ErrorIds.InvalidDockerignore, ErrorCategory.InvalidData, "Fix the .dockerignore line named in the message (escape a literal '[', ']' or '\\' with a backslash)."),
            ImageBuildFailure.ContextUnreadable => (ErrorIds.BuildContextUnreadable, ErrorCategory.ReadError, "Make the named entry readable, keep it in place while the build runs, or add it to .dockerignore."),
            ImageBuildFailure.PushFailed => (ErrorIds.DockerPushFailed, ErrorCategory.InvalidOperation, "Check the registry address and -Credential; the image was built and stays in the engine."),
            ImageBuildFailure.PackNotFound => (ErrorIds.PackNotFound, ErrorCategory.ObjectNotFound, PackLocator.InstallHint),
            ImageBuildFailure.PackFailed => (ErrorIds.PackBuildFailed, ErrorCategory.InvalidResult, "Read the pack output quoted above; run with -Verbose for all of it."),
            ImageBuildFailure.GitUnavailable => (ErrorIds.GitRevisionUnavailable, ErrorCategory.ObjectNotFound, "Build from a git checkout with at least one commit, or tag with -Tag only."),
            _ => (ErrorIds.DockerBuildFailed, ErrorCategory.InvalidResult, "Fix the failing step (its output is quoted above); run with -Verbose for the whole build output."),
        };

        string message = ex.Message;
        if (ex.Output.Count > 0)
        {
            message += Environment.NewLine + string.Join(Environment.NewLine, ex.Output.TakeLast(15).Select(l => "  " + l));
        }

        return Record(ex, id, category, ex.FailedStep ?? target, message, action);
    }

    /// <summary>The one record for text that is not an image reference.</summary>
    internal static ErrorRecord InvalidReference(string text, string problem, object? target = null) =>
        Record(new ImageReferenceException(text, "reference", problem), ErrorIds.InvalidImageReference, ErrorCategory.InvalidArgument, target ?? text, problem, "Write the reference as [registry[:port]/]repository[:tag][@sha256:<64 hex>], repository in lowercase.");

    internal static ErrorRecord Validation(EnvironmentValidationProblem problem, object? target) =>
        Record(new ArgumentException(problem.Message, problem.Parameter), problem.ErrorId, ErrorCategory.InvalidArgument, target ?? problem.Value, problem.Message, "Nothing was sent to Renku. Correct the value and run the command again.");

    /// <summary>Text that is not a Renku id (a ULID), refused before anything is sent; the advice fits <paramref name="command"/>.</summary>
    internal static ErrorRecord InvalidId(string id, string errorId, string command) =>
        Record(
            new ArgumentException($"'{id}' is not a Renku id: ids are 26-character ULIDs such as 01HZ5Q3K8M0000000000000000."),
            errorId,
            ErrorCategory.InvalidArgument,
            id,
            $"'{id}' is not a Renku id (a 26-character ULID).",
            errorId == ErrorIds.InvalidProjectId
                ? "Copy the project id from a launcher's ProjectId (Get-RenkuSessionLauncher)."
                : $"Copy the Id from Get-RenkuGlobalEnvironment, or select by name and pipe: Get-RenkuGlobalEnvironment -Name <name> | {command}.");

    internal static ErrorRecord EnvironmentNotFound(string id) =>
        Record(new ItemNotFoundException($"There is no global environment with the id {id}."), ErrorIds.EnvironmentNotFound, ErrorCategory.ObjectNotFound, id, $"There is no global environment with the id {id}.", "List the environments with Get-RenkuGlobalEnvironment -IncludeArchived.");

    internal static ErrorRecord NotConnected() =>
        Record(new InvalidOperationException("There is no connection to Renku."), ErrorIds.RenkuNotConnected, ErrorCategory.ConnectionError, null, "There is no connection to Renku.", "Run Connect-RenkuInstance -Uri https://<your Renku> first, or pass -Connection.");

    internal static ErrorRecord AdminRequired(string command, RenkuConnection connection)
    {
        string message = $"{command} needs a Renku admin, and {connection.UserName} on {connection.Uri} is not one (no 'renku-admin' realm role).";
        return Record(new UnauthorizedAccessException(message), ErrorIds.RenkuAdminRequired, ErrorCategory.PermissionDenied, connection, message, "Connect as a user (or a client whose service account) holds the renku-admin role.");
    }

    /// <summary>An argument the cmdlet refuses before doing anything.</summary>
    internal static ErrorRecord InvalidArgument(string id, string message, object? target, string? action = null) =>
        Record(new ArgumentException(message), id, ErrorCategory.InvalidArgument, target, message, action);

    internal static ErrorRecord Record(Exception exception, string id, ErrorCategory category, object? target, string? message, string? action)
    {
        var record = new ErrorRecord(exception, id, category, target);
        if (message is not null || action is not null)
        {
            record.ErrorDetails = new ErrorDetails(message ?? exception.Message) { RecommendedAction = action };
        }

        return record;
    }
}
