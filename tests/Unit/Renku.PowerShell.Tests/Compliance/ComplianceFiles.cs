namespace Renku.PowerShell.Tests.Compliance;

/// <summary>A temporary folder of Dockerfiles and policy files for one test.</summary>
internal sealed class ComplianceFiles : IDisposable
{
    internal ComplianceFiles()
    {
        Directory.CreateDirectory(Root);
    }

    internal string Root { get; } = Path.Combine(Path.GetTempPath(), "renku-ps-compliance-" + Guid.NewGuid().ToString("N")[..10]);

    internal string Write(string name, string content)
    {
        string path = Path.Combine(Root, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
