using System.Text.RegularExpressions;

namespace Renku.PowerShell.Images;

/// <summary>
/// Docker's reference grammar (distribution/reference), including its normalisation of short
/// names: the first path component is a registry only when it holds a '.' or ':', is
/// <c>localhost</c>, or has an upper-case letter.
/// </summary>
internal static class ImageReferenceParser
{
    /// <summary>
    /// The longest path (the repository without the registry, <c>library/</c> included for
    /// official Docker Hub images), as distribution/reference's RepositoryNameTotalLengthMax; the
    /// registry host is not counted.
    /// </summary>
    internal const int MaxPathLength = 255;
    internal const int MaxTagLength = 128;

    private const string LegacyDockerHub = "index.docker.io";

    private static readonly Regex DomainPattern = new(
        @"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$",
        RegexOptions.CultureInvariant);

    private static readonly Regex PathComponentPattern = new(
        @"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$",
        RegexOptions.CultureInvariant);

    private static readonly Regex TagPattern = new(@"^[\w][\w.-]*$", RegexOptions.ECMAScript);

    private static readonly Regex DigestPattern = new(
        @"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$",
        RegexOptions.CultureInvariant);

    private static readonly Regex ImageIdPattern = new(@"^[a-f0-9]{64}$", RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, int> DigestHexLengths = new(StringComparer.Ordinal)
    {
        ["sha256"] = 64,
        ["sha384"] = 96,
        ["sha512"] = 128,
    };

    internal static ImageReference Parse(string reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            throw Fail(reference ?? string.Empty, "reference", "The image reference is empty.");
        }

        if (reference.Any(char.IsWhiteSpace))
        {
            throw Fail(reference, "reference", $"The image reference '{reference}' contains white space.");
        }

        if (ImageIdPattern.IsMatch(reference))
        {
            throw Fail(reference, "reference", $"'{reference}' is a 64-character hexadecimal image id, not a reference; write it as 'name@sha256:{reference}'.");
        }

        string namePart = reference;
        string? digest = null;
        int at = reference.IndexOf('@');
        if (at >= 0)
        {
            namePart = reference.Substring(0, at);
            digest = reference.Substring(at + 1);
            ValidateDigest(digest, reference);
        }

        (string registry, string remainder) = SplitRegistry(namePart);

        string path = remainder;
        string? tag = null;
        int colon = remainder.LastIndexOf(':');
        if (colon >= 0)
        {
            path = remainder.Substring(0, colon);
            tag = remainder.Substring(colon + 1);
            ValidateTag(tag, reference);
        }

        if (!DomainPattern.IsMatch(registry))
        {
            throw Fail(reference, "registry", $"The registry '{registry}' in '{reference}' is not a valid host name with an optional port.");
        }

        ValidateRepository(path, reference);

        if (registry == ImageReference.DockerHubRegistry && !path.Contains('/'))
        {
            path = "library/" + path;
        }

        if (path.Length > MaxPathLength)
        {
            throw Fail(reference, "repository", $"The repository path '{path}' in '{reference}' is {path.Length} characters long; Docker allows at most {MaxPathLength} (the registry is not counted).");
        }

        bool tagSpecified = tag is not null;
        if (tag is null && digest is null)
        {
            tag = "latest";
        }

        return new ImageReference(reference, registry, path, tag, tagSpecified, digest);
    }

    internal static void ValidateTag(string tag) => ValidateTag(tag, tag);

    internal static void ValidateDigest(string digest) => ValidateDigest(digest, digest);

    private static (string Registry, string Remainder) SplitRegistry(string name)
    {
        int slash = name.IndexOf('/');
        if (slash < 0)
        {
            return (ImageReference.DockerHubRegistry, name);
        }

        string first = name.Substring(0, slash);
        bool looksLikeHost = first.IndexOfAny(['.', ':']) >= 0
            || first == "localhost"
            || !string.Equals(first, first.ToLowerInvariant(), StringComparison.Ordinal);
        if (!looksLikeHost)
        {
            return (ImageReference.DockerHubRegistry, name);
        }

        string registry = first == LegacyDockerHub ? ImageReference.DockerHubRegistry : first;
        return (registry, name.Substring(slash + 1));
    }

    private static void ValidateRepository(string path, string reference)
    {
        if (path.Length == 0)
        {
            throw Fail(reference, "repository", $"The reference '{reference}' has no repository name.");
        }

        if (!string.Equals(path, path.ToLowerInvariant(), StringComparison.Ordinal))
        {
            throw Fail(reference, "repository", $"The repository '{path}' in '{reference}' must be lowercase.");
        }

        foreach (string component in path.Split('/'))
        {
            if (!PathComponentPattern.IsMatch(component))
            {
                string shown = component.Length == 0 ? "(empty)" : component;
                throw Fail(reference, "repository", $"The repository component '{shown}' in '{reference}' is invalid: use lowercase letters and digits separated by '.', '_', '__' or '-'.");
            }
        }
    }

    private static void ValidateTag(string tag, string reference)
    {
        if (tag.Length == 0)
        {
            throw Fail(reference, "tag", $"The reference '{reference}' has an empty tag after ':'.");
        }

        if (tag.Length > MaxTagLength)
        {
            throw Fail(reference, "tag", $"The tag in '{Shorten(reference)}' is {tag.Length} characters long; at most {MaxTagLength} are allowed.");
        }

        if (!TagPattern.IsMatch(tag))
        {
            throw Fail(reference, "tag", $"The tag '{tag}' in '{reference}' is invalid: start with a letter, digit or '_', then use letters, digits, '_', '.' and '-'.");
        }
    }

    private static void ValidateDigest(string digest, string reference)
    {
        if (!DigestPattern.IsMatch(digest))
        {
            throw Fail(reference, "digest", $"The digest '{digest}' in '{reference}' is not of the form 'algorithm:hex'.");
        }

        int colon = digest.IndexOf(':');
        string algorithm = digest.Substring(0, colon);
        string encoded = digest.Substring(colon + 1);
        if (!DigestHexLengths.TryGetValue(algorithm, out int length))
        {
            throw Fail(reference, "digest", $"The digest algorithm '{algorithm}' in '{reference}' is not supported; use sha256, sha384 or sha512.");
        }

        if (encoded.Length != length || !encoded.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            throw Fail(reference, "digest", $"The {algorithm} digest in '{Shorten(reference)}' must be {length} lowercase hexadecimal characters (got {encoded.Length}).");
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value.Substring(0, 77) + "...";

    private static ImageReferenceException Fail(string reference, string part, string message) => new(reference, part, message);
}
