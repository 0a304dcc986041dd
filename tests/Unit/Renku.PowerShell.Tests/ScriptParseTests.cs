using System.Management.Automation.Language;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>No PowerShell file with a syntax error ships: every .ps1/.psm1/.psd1 in the repo parses.</summary>
public class ScriptParseTests
{
    public static IEnumerable<object[]> ScriptFiles()
    {
        string root = RepoPaths.Root;
        string[] skip = { Path.Combine(root, "out"), Path.Combine(root, ".git") };
        return Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase))
            .Where(f => !skip.Any(s => f.StartsWith(s + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => new object[] { Path.GetRelativePath(root, f) });
    }

    [Fact]
    public void TheRepositoryHasScriptsToCheck()
    {
        var files = ScriptFiles().Select(f => (string)f[0]).ToList();
        Assert.Contains("build.ps1", files);
        Assert.Contains(files, f => f.StartsWith("tests" + Path.DirectorySeparatorChar + "Pester", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ScriptFiles))]
    public void ScriptParsesWithoutErrors(string relativePath)
    {
        Parser.ParseFile(Path.Combine(RepoPaths.Root, relativePath), out _, out ParseError[] errors);
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}:{e.Extent.StartColumnNumber}: {e.Message}")));
    }
}
