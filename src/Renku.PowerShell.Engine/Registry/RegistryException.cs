namespace Renku.PowerShell.Registry;

/// <summary>
/// A registry or image read failed. <see cref="Kind"/> says how; the message says what and what
/// to do, and never contains a credential or token.
/// </summary>
public sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>How the operation failed.</summary>
    public RegistryErrorKind Kind { get; }

    /// <summary>The HTTP status of the last answer, when there was one.</summary>
    public int? StatusCode { get; init; }
}
