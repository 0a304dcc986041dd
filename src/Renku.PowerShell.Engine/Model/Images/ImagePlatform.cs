namespace Renku.PowerShell;

/// <summary>An image platform such as <c>linux/amd64</c> or <c>linux/arm64/v8</c>.</summary>
public sealed record ImagePlatform(string Os, string Architecture, string? Variant = null, string? Digest = null)
{
    /// <summary>Parses <c>os/arch[/variant]</c>.</summary>
    public static ImagePlatform Parse(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            throw new FormatException($"The platform '{text}' is not of the form os/architecture[/variant], for example linux/amd64.");
        }

        return new ImagePlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>True when os and architecture match, and the variant matches when both name one.</summary>
    public bool Matches(ImagePlatform other) =>
        string.Equals(Os, other.Os, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Architecture, other.Architecture, StringComparison.OrdinalIgnoreCase)
        && (Variant is null || other.Variant is null || string.Equals(Variant, other.Variant, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
