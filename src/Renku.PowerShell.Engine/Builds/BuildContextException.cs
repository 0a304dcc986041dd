namespace Renku.PowerShell.Builds;

/// <summary>A file or folder of a build context that cannot be read (no permission, or gone while the context was sent).</summary>
public sealed class BuildContextException : IOException
{
    public BuildContextException(string relativePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        RelativePath = relativePath;
    }

    /// <summary>The entry's path inside the context (<c>/</c>-separated).</summary>
    public string RelativePath { get; }

    internal static BuildContextException Unreadable(string relativePath, Exception cause) =>
        new(relativePath, $"The build context entry '{relativePath}' cannot be read ({cause.Message}); the docker CLI refuses it too. Give the build user read access, or add it to .dockerignore.", cause);

    internal static BuildContextException Vanished(string relativePath, Exception? cause) =>
        new(relativePath, $"The build context entry '{relativePath}' was removed while the build context was read or sent; nothing was built. Make sure no file in the context is removed while the build runs, or add it to .dockerignore.", cause);
}
