using System.Diagnostics;
using System.Text;

namespace Renku.PowerShell.TestSupport;

/// <summary>Runs a command to completion with a time limit and captures its output, or starts a server process.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public Result EnsureSuccess(string what)
        {
            if (ExitCode != 0)
            {
                throw new InvalidOperationException($"{what} failed with exit code {ExitCode}: {StdErr}{StdOut}");
            }

            return this;
        }
    }

    /// <summary>
    /// Where <see cref="StartServer"/> writes its servers' output, one file per server process
    /// (<c>name-pid.log</c>); null (the default) drops the output.
    /// </summary>
    public static string? ServerLogDirectory { get; set; }

    /// <summary>Starts a long-running server process whose output is read (so it never blocks on a full pipe) and dropped or logged to <see cref="ServerLogDirectory"/>.</summary>
    public static Process StartServer(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info)!;
        string? logDirectory = ServerLogDirectory;
        if (logDirectory is null)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
        }
        else
        {
            Directory.CreateDirectory(logDirectory);
            // Flushed per line and never closed: output can still arrive after the process exits.
            var log = TextWriter.Synchronized(new StreamWriter(Path.Combine(logDirectory, $"{Path.GetFileName(fileName)}-{process.Id}.log"), append: true) { AutoFlush = true });
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.WriteLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.WriteLine(e.Data); } };
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static Result Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null, string? workingDirectory = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                info.Environment[pair.Key] = pair.Value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + fileName);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
