using Renku.PowerShell.Environments;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

public sealed class EnvironmentFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("renku-envfile-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void MissingValuesTakeRenkusSettingsAndEmptyDirectoriesMeanNone()
    {
        string path = Write("a.yaml", "environments:\n  - name: A\n    container_image: python:3.12\n  - name: B\n    container_image: python:3.12\n    working_directory: ''\n    command: [bash, -c]\n");
        var specs = EnvironmentFile.Read(path);
        Assert.Equal(("/", 8888, 1000, 1000, "/home/renku/work", "/home/renku/work"), (specs[0].DefaultUrl, specs[0].Port, specs[0].Uid, specs[0].Gid, specs[0].WorkingDirectory!, specs[0].MountDirectory!));
        Assert.Null(specs[1].WorkingDirectory);
        Assert.Equal(new[] { "bash", "-c" }, specs[1].Command);
    }

    [Theory]
    [InlineData("a.json")]
    [InlineData("a.yml")]
    public void WhatIsWrittenReadsBackAsTheSameEnvironments(string name)
    {
        var environments = new[]
        {
            new GlobalEnvironment { Id = "x", Name = "Bare", Image = "python:3.12", DefaultUrl = "/lab", Port = 8080, Uid = 1000, Gid = 100 },
            new GlobalEnvironment { Id = "y", Name = "Full", Image = "r:4", DefaultUrl = "/", Port = 8787, Uid = 1000, Gid = 1000, WorkingDirectory = "/w", MountDirectory = "/m", Command = new[] { "a" }, Args = new[] { "b", "c" }, StripPathPrefix = true, IsArchived = true, Description = "d" },
        };
        string path = Path.Combine(directory, name);
        EnvironmentFile.Write(path, environments);
        var specs = EnvironmentFile.Read(path);
        for (int i = 0; i < environments.Length; i++)
        {
            Assert.Empty(EnvironmentDiff.Compare(environments[i], specs[i]));
        }
    }

    [Fact]
    public void UnknownKeysAndBadTypesNameTheLine()
    {
        var unknown = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.Read(Write("u.yaml", "environments:\n  - name: A\n    colour: blue\n")));
        Assert.Equal(3, unknown.Line);
        Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.Read(Write("t.json", "{ \"environments\": [ { \"name\": \"A\", \"port\": \"eighty\" } ] }")));
        Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.Read(Write("n.yaml", "something: else\n")));
        Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.Read(Write("x.txt", "environments: []\n")));
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
