using System.Text.RegularExpressions;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// The source layout shows the architecture (README, "Design notes"): the engine's object model
/// lies in <c>Model/&lt;Domain&gt;/</c> under the root namespace, every other folder is its own
/// namespace, the cmdlet core and the parameter groups depend on no noun folder, and no cmdlet
/// reads another cmdlet's constant. These rules are read from the source, because a constant is
/// copied into its reader when compiled and leaves no reference behind.
/// </summary>
public class SourceLayoutTests
{
    private const string RootNamespace = "Renku.PowerShell";

    private static readonly Regex NamespaceDeclaration = new(@"^namespace\s+([\w.]+)", RegexOptions.Multiline);

    /// <summary>A member of a class named <c>…Command</c>: <c>TestRenkuImageComplianceCommand.StaticThrottleLimit</c>.</summary>
    private static readonly Regex CommandMember = new(@"(?<![\w.])(\w+Command)\s*\.\s*([A-Z]\w*)");

    private static string EngineDirectory => Path.Combine(RepoPaths.Root, "src", "Renku.PowerShell.Engine");

    private static string CommandsDirectory => Path.Combine(RepoPaths.Root, "src", "Renku.PowerShell", "Commands");

    [Fact]
    public void NoSourceFileLiesAtTheEngineRoot()
    {
        Assert.Empty(Directory.GetFiles(EngineDirectory, "*.cs").Select(Path.GetFileName));
    }

    [Fact]
    public void TheObjectModelKeepsTheRootNamespace()
    {
        string model = Path.Combine(EngineDirectory, "Model");
        string[] files = SourceFiles(model).ToArray();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(
            Namespaces(f).SequenceEqual(new[] { RootNamespace }),
            $"{Relative(f)} declares {Describe(Namespaces(f))}; the object model (Model/) stays in namespace {RootNamespace}, so pwsh type names do not change."));
    }

    [Fact]
    public void EveryOtherEngineFolderIsItsOwnNamespace()
    {
        string model = Path.Combine(EngineDirectory, "Model") + Path.DirectorySeparatorChar;
        string[] files = SourceFiles(EngineDirectory)
            .Where(f => !f.StartsWith(model, StringComparison.Ordinal) && Path.GetDirectoryName(f) != EngineDirectory)
            .ToArray();
        Assert.NotEmpty(files);
        Assert.All(files, f =>
        {
            string expected = RootNamespace + "." + Path.GetRelativePath(EngineDirectory, Path.GetDirectoryName(f)!).Replace(Path.DirectorySeparatorChar, '.');
            Assert.True(
                Namespaces(f).SequenceEqual(new[] { expected }),
                $"{Relative(f)} declares {Describe(Namespaces(f))}; a file in that folder declares namespace {expected}.");
        });
    }

    [Theory]
    [InlineData("Core")]
    [InlineData("Parameters")]
    public void TheCoreAndTheParameterGroupsUseNoNounFolder(string folder)
    {
        string[] nouns = NounFolders();
        Assert.Contains("Environments", nouns);
        string[] files = SourceFiles(Path.Combine(CommandsDirectory, folder)).ToArray();
        Assert.NotEmpty(files);
        var uses = new List<string>();
        foreach (string file in files)
        {
            string text = StripComments(File.ReadAllText(file));
            foreach (string noun in nouns)
            {
                // A using directive, a fully qualified name, or a name qualified from the enclosing
                // Renku.PowerShell.Commands namespace all reach into the noun folder.
                var reference = new Regex(@"(?<![\w.])(?:Renku\.PowerShell\.)?Commands\." + noun + @"\b");
                if (reference.IsMatch(text))
                {
                    uses.Add($"{Relative(file)} uses Renku.PowerShell.Commands.{noun}");
                }
            }
        }

        Assert.True(uses.Count == 0, string.Join(Environment.NewLine, uses));
    }

    [Fact]
    public void NoCmdletReadsAnotherCmdletsMembers()
    {
        // Cmdlet classes by the convention Commands/<Noun>/<Verb><Noun>Command.cs.
        var cmdlets = NounFolders()
            .SelectMany(n => Directory.GetFiles(Path.Combine(CommandsDirectory, n), "*Command.cs"))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => f, StringComparer.Ordinal);
        Assert.True(cmdlets.Count > 15, $"found only {cmdlets.Count} cmdlet files");
        var reads = new List<string>();
        foreach (string file in SourceFiles(Path.Combine(RepoPaths.Root, "src", "Renku.PowerShell")))
        {
            string self = Path.GetFileNameWithoutExtension(file);
            string text = StripComments(File.ReadAllText(file));
            foreach (Match m in CommandMember.Matches(text))
            {
                string owner = m.Groups[1].Value;
                if (owner != self && cmdlets.ContainsKey(owner))
                {
                    reads.Add($"{Relative(file)} reads {owner}.{m.Groups[2].Value}: put what both need where both can read it (the engine, Commands/Core or Commands/Parameters).");
                }
            }
        }

        Assert.True(reads.Count == 0, string.Join(Environment.NewLine, reads));
    }

    [Fact]
    public void TheCheckFindsAReadOfAnotherCmdletsConstant()
    {
        // The rule above must be able to fail: a line as it was once written is caught.
        Match m = CommandMember.Match("CheckThrottle = TestRenkuImageComplianceCommand.StaticThrottleLimit,");
        Assert.True(m.Success);
        Assert.Equal("TestRenkuImageComplianceCommand", m.Groups[1].Value);
        Assert.DoesNotMatch(CommandMember, "var name = nameof(GetRenkuSessionCommand);");
    }

    [Fact]
    public void DocCommentsCarryNoHelpMarkup()
    {
        // The help is built from docs/help alone (tools/Renku.PowerShell.BuildTools); markup for
        // other help generators in doc comments (<para type="description">) would be read by nothing.
        var markup = new Regex(@"<para\s+type\s*=");
        string[] found = SourceFiles(Path.Combine(RepoPaths.Root, "src"))
            .Where(f => markup.IsMatch(File.ReadAllText(f)))
            .Select(Relative)
            .ToArray();
        Assert.True(found.Length == 0, "Help markup in doc comments: " + string.Join(", ", found));
    }

    private static string[] NounFolders() =>
        Directory.GetDirectories(CommandsDirectory)
            .Select(Path.GetFileName)
            .Where(n => n is not ("Core" or "Parameters"))
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static IEnumerable<string> SourceFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
            {
                string[] parts = Path.GetRelativePath(directory, f).Split(Path.DirectorySeparatorChar);
                return !parts.Contains("obj") && !parts.Contains("bin");
            })
            .Order(StringComparer.Ordinal);

    private static string[] Namespaces(string file) =>
        NamespaceDeclaration.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToArray();

    private static string Describe(string[] namespaces) =>
        namespaces.Length == 0 ? "no namespace" : "namespace " + string.Join(", ", namespaces);

    private static string Relative(string file) => Path.GetRelativePath(RepoPaths.Root, file);

    private static string StripComments(string text) =>
        Regex.Replace(text, @"//[^\n]*|/\*.*?\*/", string.Empty, RegexOptions.Singleline);
}
