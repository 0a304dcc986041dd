using System.Net.Sockets;

using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Builds;

/// <summary>
/// Build-RenkuImage against the docker CLI (<c>DOCKER_BUILDKIT=0 docker build</c>) on the same
/// context and the same test engine: for each context and .dockerignore of the table, the files,
/// their types, modes, link counts and link targets inside the two images must be equal; for each
/// .dockerignore the CLI refuses, the cmdlet must refuse it too, before anything is built.
/// </summary>
public class BuildContextDifferentialTests
{
    private const string FullyQualified = ",Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand";

    // One line per entry below /ctx: name|type|mode|links|name or 'name' -> 'target'|device numbers.
    private const string ListScript = "cd /ctx && find . | sort | while read f; do stat -c '%n|%F|%a|%h|%N|%t,%T' \"$f\"; done";

    public static TheoryData<string> Contexts => new()
    {
        "escapes inside character classes",
        "double stars, exceptions and parents",
        "plain names with regular-expression characters",
        "special entries and modes",
    };

    public static TheoryData<string, string> RefusedIgnoreFiles => new()
    {
        { "unclosed class", "*.log\n[a-\n" },
        { "empty class", "[]\n" },
        { "range without an end", "[x-]\n" },
        { "trailing backslash", "logs\\\n" },
        { "lone exclamation mark", "*.tmp\n!\n" },
        { "escape no expression knows", "a\\q\n" },
    };

    [SkippableTheory]
    [MemberData(nameof(Contexts))]
    public void TheImageHoldsWhatTheDockerCliSends(string name)
    {
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("diff");
        string id = Guid.NewGuid().ToString("N")[..8];
        string cliTag = "renku-ps-test/diff-cli:" + id;
        string moduleTag = "renku-ps-test/diff-module:" + id;
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nCOPY . /ctx/\n");
            using Socket? socket = Fill(name, context);

            ProcessRunner.Result cli = CliBuild(host, context, cliTag);
            cli.EnsureSuccess("DOCKER_BUILDKIT=0 docker build");
            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = moduleTag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(3)).ShouldSucceed();

            string[] fromCli = List(cliTag);
            string[] fromModule = List(moduleTag);
            Assert.True(fromCli.Length > 3, "the CLI's image lists too little: " + string.Join('\n', fromCli));
            Assert.Equal(fromCli, fromModule);

            if (socket is not null)
            {
                Assert.Contains("Can't add file", cli.StdErr, StringComparison.Ordinal);
                Assert.Contains(result.Warnings, w => w.Contains("'run/agent.sock' is a socket", StringComparison.Ordinal));
            }
        }
        finally
        {
            BuildBaseImage.RemoveImage(cliTag);
            BuildBaseImage.RemoveImage(moduleTag);
            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(RefusedIgnoreFiles))]
    public void AnIgnoreFileTheCliRefusesIsRefusedBeforeAnythingIsSent(string name, string ignore)
    {
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("refused");
        string tag = "renku-ps-test/diff-refused:" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nRUN echo never-built-{name.Replace(' ', '-')}\n");
            BuildBaseImage.Write(context, ".dockerignore", ignore);

            ProcessRunner.Result cli = CliBuild(host, context, tag);
            Assert.NotEqual(0, cli.ExitCode);
            Assert.Contains("error checking context", cli.StdErr, StringComparison.Ordinal);

            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(2));
            Assert.Empty(result.Output);
            Assert.Equal(new[] { "InvalidDockerignore" + FullyQualified }, result.ErrorIds.ToArray());
            int line = ignore.Split('\n').Length - 1;
            Assert.StartsWith($".dockerignore line {line}:", result.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
            Assert.NotEqual(0, DockerDaemon.Cli(TimeSpan.FromMinutes(1), "image", "inspect", tag).ExitCode);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    /// <summary>
    /// Writes the named context; returns the socket it holds, if any (both sides skip it with a
    /// note), which must stay open while the builds run: .NET removes a socket's file on dispose.
    /// </summary>
    private static Socket? Fill(string name, string context)
    {
        void Write(string relative, string content = "x") => BuildBaseImage.Write(context, relative, content);
        switch (name)
        {
            case "escapes inside character classes":
                foreach (string file in new[] { "]", "a", "b", "-", "x", "y", "file!.txt", "file7.txt", "fileX.txt", "bracket[1]", "star*name", "back\\slash" })
                {
                    Write(file);
                }

                Write(".dockerignore", "[\\]a]\n[\\-x]\nfile[!0-9].txt\nbracket\\[1\\]\nstar\\*name\nback\\\\slash\n");
                return null;

            case "double stars, exceptions and parents":
                foreach (string file in new[] { "top.log", "src/app.py", "src/deep/trace.log", "build/out.bin", "build/keep.txt", "build/sub/keep.txt", "docs/a.md", "docs/x/y/b.md", "docs/x/c.txt", "myfile", "dir/myfile", "vendor/pkg/file", "node_modules/m/index.js", "src/node_modules/n/index.js" })
                {
                    Write(file);
                }

                Write(".dockerignore", "# comment\n**/*.log\n/build/\n!build/keep.txt\ndocs/**/*.md\n**file\n!vendor/pkg/file\n./node_modules/../node_modules\n  **/node_modules  \n");
                return null;

            case "plain names with regular-expression characters":
                foreach (string file in new[] { "a(b)c", "a+b", "x.y", "xzy", "dollar$", "braces{1}", "pipe|name", "caret^x", "caret^y", "plain.txt" })
                {
                    Write(file);
                }

                Write(".dockerignore", "a(b)c\na+b\nx.y\ndollar$\nbraces{1}\npipe|name\ncaret^*\n");
                return null;

            case "special entries and modes":
                Write("a.txt", "shared");
                Write("run.sh", "#!/bin/sh\n");
                Write("private/key", "k");
                Write("locked/file", "l");
                Write("shared-tmp/.keep", string.Empty);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(Path.Combine(context, "run.sh"), (UnixFileMode)0b111_101_101);
                    File.SetUnixFileMode(Path.Combine(context, "private/key"), UnixFileMode.None);
                    File.SetUnixFileMode(Path.Combine(context, "locked"), (UnixFileMode)0b111_000_000);
                    File.SetUnixFileMode(Path.Combine(context, "shared-tmp"), (UnixFileMode)0b1_111_111_111);
                    File.CreateSymbolicLink(Path.Combine(context, "dangling"), "nowhere/at/all");
                    File.CreateSymbolicLink(Path.Combine(context, "good"), "a.txt");
                    Tool("ln", Path.Combine(context, "a.txt"), Path.Combine(context, "hard.txt"));
                    Tool("mkfifo", Path.Combine(context, "pipe"));
                    if (Environment.UserName == "root")
                    {
                        Tool("mknod", Path.Combine(context, "nulldev"), "c", "1", "3");
                    }

                    Directory.CreateDirectory(Path.Combine(context, "run"));
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(context, "run/agent.sock")));
                    return socket;
                }

                return null;

            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such context");
        }
    }

    private static void Tool(string tool, params string[] arguments) =>
        ProcessRunner.Run(Requires.Executable(tool, "coreutils"), arguments, TimeSpan.FromSeconds(30)).EnsureSuccess(tool);

    private static ProcessRunner.Result CliBuild(string host, string context, string tag)
    {
        string docker = Requires.Executable("docker", "docker.io");
        var environment = new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" };
        return ProcessRunner.Run(docker, new[] { "-H", host, "build", "-q", "-t", tag, context }, TimeSpan.FromMinutes(3), environment);
    }

    private static string[] List(string tag) =>
        BuildBaseImage.Docker("run", "--rm", "--network", "host", tag, "sh", "-c", ListScript).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
