using Xunit;

namespace Renku.PowerShell.TestSupport;

/// <summary>
/// Guards for tests that need a real part (dockerd, docker-registry, skopeo). On a developer's
/// machine a missing part skips the test with the reason; under CI=true it fails the test.
/// </summary>
public static class Requires
{
    public static bool InCi
    {
        get
        {
            string? value = Environment.GetEnvironmentVariable("CI");
            return string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";
        }
    }

    /// <summary>Skips (or, in CI, fails) unless <paramref name="available"/>.</summary>
    public static void Part(bool available, string part, string howToGetIt)
    {
        if (available)
        {
            return;
        }

        string message = $"{part} is not available: {howToGetIt}";
        if (InCi)
        {
            Assert.Fail("CI=true and a required part is missing. " + message);
        }

        throw new SkipException(message);
    }

    /// <summary>Skips (or fails in CI) unless an executable is on PATH; returns its full path.</summary>
    public static string Executable(string name, string package)
    {
        string? path = Which(name);
        Part(path is not null, name, $"install it with 'apt-get install {package}'");
        return path!;
    }

    public static string? Which(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (string dir in new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin" })
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
