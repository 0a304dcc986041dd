namespace Renku.PowerShell.Buildpacks;

/// <summary>What to build with <c>pack build</c> (the cmdlet's parameters, validated).</summary>
public sealed class PackBuildRequest
{
    public PackBuildRequest(string appDirectory, string frontend, IReadOnlyList<string> tags)
    {
        AppDirectory = appDirectory;
        Frontend = frontend;
        Tags = tags;
    }

    /// <summary>The application directory (full path).</summary>
    public string AppDirectory { get; }

    /// <summary>One of <see cref="RenkuBuildpacks.Frontends"/>.</summary>
    public string Frontend { get; }

    /// <summary>The image name first, then further tags; at least one.</summary>
    public IReadOnlyList<string> Tags { get; }

    public string Builder { get; init; } = RenkuBuildpacks.DefaultBuilder;

    public string RunImage { get; init; } = RenkuBuildpacks.DefaultRunImage;

    /// <summary>Push to the registry instead of the local engine.</summary>
    public bool Publish { get; init; }

    public string? Platform { get; init; }

    /// <summary>Extra build-time environment variables for the buildpacks.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The Docker engine pack should use (passed as DOCKER_HOST); null leaves pack's own choice.</summary>
    public string? DockerHost { get; init; }
}
