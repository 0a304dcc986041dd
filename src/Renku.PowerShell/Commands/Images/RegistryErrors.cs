using System.Management.Automation;

using Renku.PowerShell.Registry;

namespace Renku.PowerShell.Commands.Images;

/// <summary>Turns engine registry failures into error records with stable ids and categories.</summary>
internal static class RegistryErrors
{
    internal static ErrorRecord ToErrorRecord(RegistryException ex, object? target)
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
        return new ErrorRecord(ex, id, category, target)
        {
            ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = action },
        };
    }
}
