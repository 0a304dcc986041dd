namespace Renku.PowerShell.Tests.Builds;

/// <summary>
/// A stand-in for the pack CLI (which the test machine does not have): a shell script that records
/// its arguments and DOCKER_HOST, prints what pack prints for a build, and fails or hangs on demand.
/// </summary>
internal sealed class StandInPack : IDisposable
{
    public const string Digest = "sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904aabbccddeeff001122334455";

    private StandInPack(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string Executable => Path.Combine(Directory, "pack");

    public string ArgumentsFile => Path.Combine(Directory, "argv.txt");

    public string PidFile => Path.Combine(Directory, "pid.txt");

    /// <summary>Arguments pack received, one per line, then <c>DOCKER_HOST=...</c>.</summary>
    public string[] RecordedArguments => File.ReadAllLines(ArgumentsFile);

    public static StandInPack Create(string behaviour = "succeed")
    {
        string directory = Path.Combine(Path.GetTempPath(), "renku-ps-pack-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var pack = new StandInPack(directory);
        string script = "#!/bin/sh\n" +
            $"printf '%s\\n' \"$@\" > '{pack.ArgumentsFile}'\n" +
            $"echo \"DOCKER_HOST=$DOCKER_HOST\" >> '{pack.ArgumentsFile}'\n" +
            $"echo $$ > '{pack.PidFile}'\n" +
            "echo \"latest: Pulling from swissdatasciencecenter/renku-frontend-buildpacks/selector\"\n" +
            "echo \"===> ANALYZING\"\n" +
            "echo \"Image with name \\\"$2\\\" not found\"\n" +
            "echo \"===> DETECTING\"\n" +
            "echo \"renku/renku-variables 0.8.0\"\n" +
            "echo \"renku/jupyterlab      0.8.0\"\n" +
            "echo \"===> RESTORING\"\n" +
            "echo \"===> BUILDING\"\n" +
            (behaviour switch
            {
                "fail" => "echo \"Installing jupyterlab\"\necho \"ERROR: failed to build: exit status 1\" >&2\nexit 1\n",
                "hang" => "exec sleep 300\n",
                _ => "echo \"Installing jupyterlab\"\n" +
                     "echo \"===> EXPORTING\"\n" +
                     "echo \"Adding layer 'renku/jupyterlab:jupyterlab'\"\n" +
                     "echo \"*** Images (1a2b3c4d5e6f):\"\n" +
                     "echo \"      $2\"\n" +
                     $"echo \"*** Digest: {Digest}\"\n" +
                     "echo \"Successfully built image '$2'\"\n",
            });
        File.WriteAllText(pack.Executable, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(pack.Executable, (UnixFileMode)0b111_101_101);
        }

        return pack;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
