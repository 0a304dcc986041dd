using Renku.PowerShell.Environments;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

/// <summary>Environments by name: exact, literal, never guessed when shared.</summary>
public sealed class EnvironmentLookupTests
{
    private static readonly GlobalEnvironment[] Fleet =
    {
        Environment("01HZ5Q3K8M0000000000000001", "Python Lab"),
        Environment("01HZ5Q3K8M0000000000000002", "R*"),
        Environment("01HZ5Q3K8M0000000000000003", "Twin"),
        Environment("01HZ5Q3K8M0000000000000004", "Twin", archived: true),
        Environment("01HZ5Q3K8M0000000000000005", "01HZ5Q3K8M0000000000000001"),
    };

    [Theory]
    [InlineData("Python Lab", "Found", "01HZ5Q3K8M0000000000000001")]
    [InlineData("python lab", "NotFound", "")]
    [InlineData("Python*", "NotFound", "")]
    [InlineData("R*", "Found", "01HZ5Q3K8M0000000000000002")]
    [InlineData("Twin", "Ambiguous", "01HZ5Q3K8M0000000000000003,01HZ5Q3K8M0000000000000004")]
    [InlineData("01HZ5Q3K8M0000000000000002", "Found", "01HZ5Q3K8M0000000000000002")]
    [InlineData("01HZ5Q3K8M0000000000000001", "Found", "01HZ5Q3K8M0000000000000005")]
    [InlineData("01HZ5Q3K8M0000000000000009", "NotFound", "")]
    public void ANameIsMatchedExactlyAndAnIdOnlyWhereNoNameMatches(string given, string outcome, string ids)
    {
        var (found, matches) = EnvironmentLookup.Find(given, Fleet);
        Assert.Equal(outcome, found.ToString());
        Assert.Equal(ids, string.Join(',', matches.Select(m => m.Id)));
    }

    [Fact]
    public void AnAmbiguityListsEveryIdAndWhichIsArchived()
    {
        var (_, matches) = EnvironmentLookup.Find("Twin", Fleet);
        string said = EnvironmentLookup.DescribeAmbiguity("Twin", matches);
        Assert.Equal("2 environments are named 'Twin': 01HZ5Q3K8M0000000000000003 (python:3.12), 01HZ5Q3K8M0000000000000004 (python:3.12, archived).", said);
    }

    [Fact]
    public void HoldersOfANameLeaveOutTheEnvironmentBeingRenamed()
    {
        Assert.Equal(2, EnvironmentLookup.Holders("Twin", Fleet).Count);
        Assert.Single(EnvironmentLookup.Holders("Twin", Fleet, exceptId: "01HZ5Q3K8M0000000000000003"));
        Assert.Empty(EnvironmentLookup.Holders("twin", Fleet));
    }

    private static GlobalEnvironment Environment(string id, string name, bool archived = false) => new()
    {
        Id = id,
        Name = name,
        Image = "python:3.12",
        DefaultUrl = "/",
        Port = 8888,
        Uid = 1000,
        Gid = 1000,
        IsArchived = archived,
    };
}
