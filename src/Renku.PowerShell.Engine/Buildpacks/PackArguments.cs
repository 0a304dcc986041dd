namespace Renku.PowerShell.Buildpacks;

/// <summary>The exact <c>pack build</c> command line for a request.</summary>
public static class PackArguments
{
    public static IReadOnlyList<string> For(PackBuildRequest request)
    {
        if (request.Tags.Count == 0)
        {
            throw new ArgumentException("pack build needs an image name.", nameof(request));
        }

        var arguments = new List<string>
        {
            "build", request.Tags[0],
            "--path", request.AppDirectory,
            "--builder", request.Builder,
            "--run-image", request.RunImage,
            "--env", RenkuBuildpacks.FrontendVariable + "=" + request.Frontend,
        };
        foreach (var pair in request.Environment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            arguments.Add("--env");
            arguments.Add(pair.Key + "=" + pair.Value);
        }

        foreach (string tag in request.Tags.Skip(1))
        {
            arguments.Add("--tag");
            arguments.Add(tag);
        }

        if (!string.IsNullOrEmpty(request.Platform))
        {
            arguments.Add("--platform");
            arguments.Add(request.Platform);
        }

        if (request.Publish)
        {
            arguments.Add("--publish");
        }

        // pack asks nothing interactively, but colour codes would litter the verbose stream.
        arguments.Add("--no-color");
        return arguments;
    }
}
