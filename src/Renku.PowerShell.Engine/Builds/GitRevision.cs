using System.Diagnostics;
using System.Globalization;

using NuGet.Versioning;

namespace Renku.PowerShell.Builds;

/// <summary>
/// The git checkout a build context lives in: the commit at HEAD, a semver tag pointing exactly at
/// HEAD, the origin remote and the commit time. Read with the git CLI.
/// </summary>
public sealed class GitRevision
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(30);

    private GitRevision(string commit, string? version, string? source, DateTimeOffset? committed)
    {
        Commit = commit;
        Version = version;
        Source = source;
        Committed = committed;
    }

    /// <summary>The full commit sha at HEAD.</summary>
    public string Commit { get; }

    /// <summary>The first 7 characters of <see cref="Commit"/>, the tag Renku 1.x gave project images.</summary>
    public string ShortCommit => Commit.Substring(0, 7);

    /// <summary>The highest semver tag at HEAD without a leading <c>v</c> and build metadata; null when HEAD has none.</summary>
    public string? Version { get; }

    /// <summary>The origin remote's URL without any credentials in it.</summary>
    public string? Source { get; }

    public DateTimeOffset? Committed { get; }

    /// <summary>The OCI annotations git can fill (<c>org.opencontainers.image.*</c>).</summary>
    public IReadOnlyDictionary<string, string> OciLabels()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["org.opencontainers.image.revision"] = Commit,
        };
        if (Source is not null)
        {
            labels["org.opencontainers.image.source"] = Source;
        }

        if (Version is not null)
        {
            labels["org.opencontainers.image.version"] = Version;
        }

        if (Committed is { } committed)
        {
            labels["org.opencontainers.image.created"] = committed.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        return labels;
    }

    /// <summary>Reads the checkout around <paramref name="directory"/>; fails with <see cref="ImageBuildFailure.GitUnavailable"/>.</summary>
    /// <summary>
    /// The tags a build gets from this checkout: each requested tag that names one (an explicit
    /// tag is kept), then for each repository the short commit and, on a version tag, the version.
    /// "registry/app" alone means the git tags only.
    /// </summary>
    public IReadOnlyList<string> Tags(IEnumerable<ImageReference> requested)
    {
        var requestedList = requested.ToList();
        var result = requestedList.Where(t => t.TagSpecified).Select(t => t.FullName).ToList();
        foreach (ImageReference repository in requestedList.GroupBy(t => t.Name, StringComparer.Ordinal).Select(g => g.First()))
        {
            result.Add(repository.WithTag(ShortCommit).FullName);
            if (Version is not null)
            {
                result.Add(repository.WithTag(Version).FullName);
            }
        }

        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    public static GitRevision Read(string directory, string? gitPath = null)
    {
        string git = gitPath ?? FindGit() ?? throw new ImageBuildException(ImageBuildFailure.GitUnavailable, "git was not found on PATH; install git to tag images from the commit (-TagFromGit).");
        var head = Run(git, directory, "rev-parse", "--verify", "HEAD^{commit}");
        if (head.ExitCode != 0)
        {
            throw new ImageBuildException(ImageBuildFailure.GitUnavailable, $"'{directory}' is not inside a git checkout with a commit ({head.Error.Trim()}). Commit first, or tag with -Tag only.");
        }

        string commit = head.Output.Trim();
        string? version = null;
        var tags = Run(git, directory, "tag", "--points-at", "HEAD");
        if (tags.ExitCode == 0)
        {
            version = HighestSemver(tags.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        string? source = null;
        var remote = Run(git, directory, "remote", "get-url", "origin");
        if (remote.ExitCode == 0 && remote.Output.Trim().Length > 0)
        {
            source = WithoutCredentials(remote.Output.Trim());
        }

        DateTimeOffset? committed = null;
        var time = Run(git, directory, "log", "-1", "--format=%cI", "HEAD");
        if (time.ExitCode == 0 && DateTimeOffset.TryParse(time.Output.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset parsed))
        {
            committed = parsed;
        }

        return new GitRevision(commit, version, source, committed);
    }

    /// <summary>The highest tag that is a semantic version (<c>1.2.3</c> or <c>v1.2.3</c>), as a Docker tag.</summary>
    internal static string? HighestSemver(IEnumerable<string> tags)
    {
        SemanticVersion? best = null;
        foreach (string tag in tags)
        {
            string candidate = tag.StartsWith('v') || tag.StartsWith('V') ? tag.Substring(1) : tag;
            if (SemanticVersion.TryParse(candidate, out SemanticVersion? version) && (best is null || version > best))
            {
                best = version;
            }
        }

        // Docker tags cannot hold '+', so build metadata is dropped.
        return best?.ToNormalizedString();
    }

    internal static string WithoutCredentials(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && !string.IsNullOrEmpty(uri.UserInfo) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();
        }

        return url;
    }

    private static string? FindGit()
    {
        string name = OperatingSystem.IsWindows() ? "git.exe" : "git";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (int ExitCode, string Output, string Error) Run(string git, string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo(git)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add("-C");
        info.ArgumentList.Add(directory);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Never prompt (for a credential helper or a pager): the cmdlet runs unattended.
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["GIT_PAGER"] = "cat";
        using Process process = Process.Start(info) ?? throw new ImageBuildException(ImageBuildFailure.GitUnavailable, "git could not be started.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(GitTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new ImageBuildException(ImageBuildFailure.GitUnavailable, $"git {string.Join(' ', arguments)} did not finish within {GitTimeout.TotalSeconds} s.");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}
