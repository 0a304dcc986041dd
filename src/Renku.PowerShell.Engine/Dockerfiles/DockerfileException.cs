namespace Renku.PowerShell.Dockerfiles;

/// <summary>A Dockerfile that cannot be read as one; names the file and, when known, the line.</summary>
public sealed class DockerfileException : FormatException
{
    public DockerfileException(string path, long? line, string message, Exception? innerException = null)
        : base(line is null ? $"{path}: {message}" : $"{path}, line {line}: {message}", innerException)
    {
        Path = path;
        Line = line;
    }

    public string Path { get; }

    public long? Line { get; }
}
