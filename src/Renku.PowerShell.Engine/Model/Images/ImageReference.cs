using Renku.PowerShell.Images;
namespace Renku.PowerShell;

/// <summary>
/// A container image reference, normalised the way Docker normalises it
/// (<c>python</c> is <c>docker.io/library/python:latest</c>).
/// </summary>
public sealed class ImageReference : IEquatable<ImageReference>
{
    /// <summary>The registry Docker Hub references resolve to.</summary>
    public const string DockerHubRegistry = "docker.io";

    /// <summary>The host that serves Docker Hub's registry API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    internal ImageReference(string original, string registry, string repository, string? tag, bool tagSpecified, string? digest)
    {
        Original = original;
        Registry = registry;
        Repository = repository;
        Tag = tag;
        TagSpecified = tagSpecified;
        Digest = digest;
    }

    /// <summary>The text the reference was parsed from.</summary>
    public string Original { get; }

    /// <summary>The registry host, with port when one was given (<c>docker.io</c> for Docker Hub).</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry (<c>library/python</c>).</summary>
    public string Repository { get; }

    /// <summary>The tag; <c>latest</c> when neither tag nor digest was given; null for a digest-only reference.</summary>
    public string? Tag { get; }

    /// <summary>True when the tag was written out rather than implied.</summary>
    public bool TagSpecified { get; }

    /// <summary>The digest (<c>sha256:...</c>) when the reference pins one.</summary>
    public string? Digest { get; }

    /// <summary>True for references that live on Docker Hub.</summary>
    public bool IsDockerHub => string.Equals(Registry, DockerHubRegistry, StringComparison.Ordinal);

    /// <summary>The host to talk to for the registry API.</summary>
    public string RegistryApiHost => IsDockerHub ? DockerHubApiHost : Registry;

    /// <summary>Registry and repository without tag or digest.</summary>
    public string Name => Registry + "/" + Repository;

    /// <summary>The fully qualified reference: registry, repository, tag and digest.</summary>
    public string FullName
    {
        get
        {
            string result = Name;
            if (Tag is not null)
            {
                result += ":" + Tag;
            }

            if (Digest is not null)
            {
                result += "@" + Digest;
            }

            return result;
        }
    }

    /// <summary>The short form Docker shows (<c>python:latest</c>, <c>user/app:1.0</c>).</summary>
    public string FamiliarName
    {
        get
        {
            string name = Repository;
            if (IsDockerHub && name.StartsWith("library/", StringComparison.Ordinal) && name.IndexOf('/', 8) < 0)
            {
                name = name.Substring("library/".Length);
            }

            // On Docker Hub the registry is left out, unless the first component would then read as
            // one ('docker.io/my.org/app' shortened to 'my.org/app' names the registry my.org).
            int slash = name.IndexOf('/');
            string first = slash < 0 ? string.Empty : name.Substring(0, slash);
            bool readsAsRegistry = first.IndexOfAny(['.', ':']) >= 0 || first == "localhost";
            string prefix = IsDockerHub && !readsAsRegistry ? string.Empty : Registry + "/";
            string result = prefix + name;
            if (Tag is not null)
            {
                result += ":" + Tag;
            }

            if (Digest is not null)
            {
                result += "@" + Digest;
            }

            return result;
        }
    }

    /// <summary>What the tag looks like: a version, a commit, <c>latest</c>, ...</summary>
    public TagKind TagKind => TagClassifier.Classify(Tag, TagSpecified);

    /// <summary>The same repository at another tag (the digest is dropped).</summary>
    public ImageReference WithTag(string tag)
    {
        ImageReferenceParser.ValidateTag(tag);
        return new ImageReference(Name + ":" + tag, Registry, Repository, tag, tagSpecified: true, digest: null);
    }

    /// <summary>The same repository pinned to a digest, keeping the tag for readers.</summary>
    public ImageReference WithDigest(string digest)
    {
        ImageReferenceParser.ValidateDigest(digest);
        return new ImageReference(Name + (Tag is null ? string.Empty : ":" + Tag) + "@" + digest, Registry, Repository, Tag, TagSpecified, digest);
    }

    /// <summary>Parses a reference, throwing <see cref="ImageReferenceException"/> naming the offending part.</summary>
    public static ImageReference Parse(string reference) => ImageReferenceParser.Parse(reference);

    /// <summary>Parses a reference without throwing.</summary>
    public static bool TryParse(string? reference, out ImageReference? result, out string? error)
    {
        try
        {
            result = ImageReferenceParser.Parse(reference ?? string.Empty);
            error = null;
            return true;
        }
        catch (ImageReferenceException ex)
        {
            result = null;
            error = ex.Message;
            return false;
        }
    }

    public bool Equals(ImageReference? other) =>
        other is not null && string.Equals(FullName, other.FullName, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(FullName);

    public override string ToString() => FullName;
}
