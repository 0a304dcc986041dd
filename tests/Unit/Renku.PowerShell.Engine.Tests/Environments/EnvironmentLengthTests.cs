using Renku.PowerShell.Environments;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

/// <summary>
/// Lengths counted as Renku counts them: the data service validates with Pydantic, whose string
/// length is Python's len, in code points. A character outside the Basic Multilingual Plane (an
/// emoji, a CJK Extension B ideograph) is one character there, though .NET stores it in two.
/// </summary>
public sealed class EnvironmentLengthTests
{
    private const string Emoji = "\U0001F600";
    private const string Ideograph = "\U00020000";

    [Theory]
    [InlineData("abc", 3)]
    [InlineData(Emoji, 1)]
    [InlineData(Emoji + Ideograph + "é", 3)]
    [InlineData("", 0)]
    public void CharactersAreCodePoints(string text, int count) => Assert.Equal(count, EnvironmentValidator.CountCharacters(text));

    [Fact]
    public void ALoneSurrogateCountsOneAsInPython()
    {
        // Built at run time: attribute arguments cannot hold an unpaired surrogate.
        Assert.Equal(1, EnvironmentValidator.CountCharacters(new string((char)0xD83D, 1)));
        Assert.Equal(2, EnvironmentValidator.CountCharacters(new string(new[] { (char)0xDE00, (char)0xD83D })));
    }

    [Theory]
    [InlineData(EnvironmentFields.Name, EnvironmentValidator.NameMaxLength)]
    [InlineData(EnvironmentFields.Description, EnvironmentValidator.DescriptionMaxLength)]
    [InlineData(EnvironmentFields.DefaultUrl, EnvironmentValidator.DefaultUrlMaxLength)]
    public void EveryLimitCountsCodePoints(string field, int limit)
    {
        foreach (string character in new[] { Emoji, Ideograph })
        {
            Assert.Null(EnvironmentValidator.Check(field, Repeat(character, limit), forPatch: false));
            EnvironmentValidationProblem problem = EnvironmentValidator.Check(field, Repeat(character, limit + 1), forPatch: false)!;
            Assert.EndsWith($"it has {limit + 1}.", problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheImageLimitCountsCodePointsBeforeTheReferenceIsParsed()
    {
        EnvironmentValidationProblem tooLong = EnvironmentValidator.Check(EnvironmentFields.ContainerImage, Repeat(Emoji, EnvironmentValidator.ImageMaxLength + 1), forPatch: false)!;
        Assert.EndsWith($"it has {EnvironmentValidator.ImageMaxLength + 1}.", tooLong.Message, StringComparison.Ordinal);
        EnvironmentValidationProblem tooShort = EnvironmentValidator.Check(EnvironmentFields.ContainerImage, Emoji + Emoji, forPatch: false)!;
        Assert.EndsWith("it has 2.", tooShort.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileNamesNonBmpLengthsTheSameWay()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("renku-envlength-").FullName, "e.yaml");
        try
        {
            File.WriteAllText(path, $"environments:\n  - name: {Repeat(Emoji, 99)}\n    container_image: python:3.12\n  - name: {Repeat(Emoji, 100)}\n    container_image: python:3.12\n");
            EnvironmentValidationProblem problem = Assert.Single(EnvironmentFile.Validate(path, EnvironmentFile.ReadItems(path)));
            Assert.Contains("environments[1]", problem.Message, StringComparison.Ordinal);
            Assert.EndsWith("it has 100.", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private static string Repeat(string character, int count) => string.Concat(Enumerable.Repeat(character, count));
}
