namespace Renku.PowerShell.Images;

/// <summary>An image reference that Docker would not accept; <see cref="Part"/> names what is wrong.</summary>
public sealed class ImageReferenceException : FormatException
{
    public ImageReferenceException(string reference, string part, string message)
        : base(message)
    {
        Reference = reference;
        Part = part;
    }

    /// <summary>The reference as given.</summary>
    public string Reference { get; }

    /// <summary>The part at fault: registry, repository, tag, digest or reference.</summary>
    public string Part { get; }
}
