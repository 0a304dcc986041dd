using System.Management.Automation;
using System.Net;

using Renku.PowerShell.Auth;
using Renku.PowerShell.Http;
using Renku.PowerShell.RenkuApi;

namespace Renku.PowerShell.Commands.Internal;

/// <summary>Turns engine failures into error records with stable ids; the API's code and message stay in the exception and the details.</summary>
internal static class RenkuErrors
{
    /// <summary>The error record for a failure of an engine call, or null when the exception is not one we expect.</summary>
    public static ErrorRecord? For(Exception exception, object? target, bool cancelled)
    {
        switch (exception)
        {
            case RenkuApiException api:
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
                    return new ErrorRecord(api, id, category, target) { ErrorDetails = new ErrorDetails(api.Message) { RecommendedAction = advice } };
                }

            case InvalidAccessTokenException token:
                return new ErrorRecord(token, ErrorIds.InvalidAccessToken, ErrorCategory.InvalidArgument, target)
                {
                    ErrorDetails = new ErrorDetails(token.Message) { RecommendedAction = "Nothing was sent. Pass the token itself, e.g. -AccessToken (Get-Secret RenkuToken) or $env:RENKU_ACCESS_TOKEN." },
                };

            case UnencryptedCredentialException plain:
                return new ErrorRecord(plain, ErrorIds.UnencryptedCredentialRefused, ErrorCategory.SecurityError, target) { ErrorDetails = new ErrorDetails(plain.Message) };

            case HttpTimeoutException late:
                return new ErrorRecord(late, ErrorIds.RenkuTimeout, ErrorCategory.OperationTimeout, target)
                {
                    ErrorDetails = new ErrorDetails(late.Message) { RecommendedAction = "Check that Renku is up; Connect-RenkuInstance -Timeout sets how long one request may take." },
                };

            case OAuthException oauth:
                {
                    (string id, ErrorCategory category) = oauth.Error switch
                    {
                        "access_denied" => (ErrorIds.DeviceAuthorizationDenied, ErrorCategory.PermissionDenied),
                        "expired_token" => (ErrorIds.DeviceAuthorizationExpired, ErrorCategory.OperationTimeout),
                        "untrusted_endpoint" => (ErrorIds.AuthorityEndpointRefused, ErrorCategory.SecurityError),
                        _ => (ErrorIds.RenkuAuthenticationFailed, ErrorCategory.AuthenticationError),
                    };
                    return new ErrorRecord(oauth, id, category, target) { ErrorDetails = new ErrorDetails(oauth.Message) };
                }

            case HttpRequestException http:
                {
                    string message = $"Renku could not be reached: {http.Message}";
                    return new ErrorRecord(http, ErrorIds.RenkuUnreachable, ErrorCategory.ConnectionError, target) { ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Check the URL, the network and the TLS certificate." } };
                }

            case TaskCanceledException timeout when !cancelled:
                return new ErrorRecord(timeout, ErrorIds.RenkuTimeout, ErrorCategory.OperationTimeout, target) { ErrorDetails = new ErrorDetails("Renku did not answer in time.") };

            default:
                return null;
        }
    }
}
