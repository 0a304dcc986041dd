namespace Renku.PowerShell.Environments;

/// <summary>An environments file that cannot be read; names the file and, when known, the line.</summary>
public sealed class EnvironmentFileException : Exception
{
    public EnvironmentFileException(string path, long? line, string message, Exception? inner = null)
        : base(line is null ? $"{path}: {message}" : $"{path}, line {line}: {message}", inner)
    {
        Path = path;
        Line = line;
    }

    public string Path { get; }

    public long? Line { get; }
}
