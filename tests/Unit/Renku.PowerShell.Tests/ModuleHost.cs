using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

using Renku.PowerShell.TestSupport;

namespace Renku.PowerShell.Tests;

/// <summary>
/// Runs PowerShell in this process with the staged module imported, and hands back the output
/// objects and every stream.
/// </summary>
public static class ModuleHost
{
    static ModuleHost()
    {
        // Help and messages are authored in en-US; the test machine may have no culture at all.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.GetCultureInfo("en-US");
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("en-US");
    }

    public static string Manifest => RepoPaths.StagedManifest;

    /// <summary>Runs <paramref name="script"/> in a fresh runspace with the module imported.</summary>
    public static PowerShellResult Run(string script, IDictionary<string, object?>? variables = null, TimeSpan? timeout = null)
    {
        if (!File.Exists(Manifest))
        {
            throw new InvalidOperationException($"The staged module is missing at {Manifest}; build the solution first (dotnet build).");
        }

        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Manifest });
        if (variables is not null)
        {
            foreach (var pair in variables)
            {
                state.Variables.Add(new SessionStateVariableEntry(pair.Key, pair.Value, string.Empty));
            }
        }

        using Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using System.Management.Automation.PowerShell ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddScript(script);

        var output = new PSDataCollection<PSObject>();
        IAsyncResult async = ps.BeginInvoke<PSObject, PSObject>(null, output);
        TimeSpan limit = timeout ?? TimeSpan.FromMinutes(2);
        Exception? terminating = null;
        if (!async.AsyncWaitHandle.WaitOne(limit))
        {
            ps.Stop();
            throw new TimeoutException($"The script did not finish within {limit}: {script}");
        }

        try
        {
            ps.EndInvoke(async);
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }

        // Every record of the module carries its id's one category (ErrorIds), whatever the test asserts.
        foreach (ErrorRecord record in ps.Streams.Error)
        {
            ErrorTable.Check(record);
        }

        if (terminating is IContainsErrorRecord stopped)
        {
            ErrorTable.Check(stopped.ErrorRecord);
        }

        return new PowerShellResult(
            output.ToList(),
            ps.Streams.Error.ToList(),
            ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Debug.Select(d => d.Message).ToList(),
            ps.Streams.Information.ToList(),
            ps.Streams.Progress.ToList(),
            terminating);
    }
}

/// <summary>Everything a pipeline produced.</summary>
public sealed record PowerShellResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<InformationRecord> Information,
    IReadOnlyList<ProgressRecord> Progress,
    Exception? Terminating)
{
    /// <summary>The FullyQualifiedErrorId of every error, including a terminating one.</summary>
    public IReadOnlyList<string> ErrorIds
    {
        get
        {
            var ids = Errors.Select(e => e.FullyQualifiedErrorId).ToList();
            if (Terminating is IContainsErrorRecord record)
            {
                ids.Add(record.ErrorRecord.FullyQualifiedErrorId);
            }

            return ids;
        }
    }

    /// <summary>Every stream's text, for asserting that something (a token) never appears.</summary>
    public string AllText()
    {
        var parts = new List<string>();
        parts.AddRange(Output.Select(o => o?.ToString() ?? string.Empty));
        parts.AddRange(Errors.Select(e => e.ToString() + " " + e.Exception?.ToString() + " " + e.ErrorDetails?.Message));
        parts.AddRange(Warnings);
        parts.AddRange(Verbose);
        parts.AddRange(Debug);
        parts.AddRange(Information.Select(i => i.MessageData?.ToString() ?? string.Empty));
        parts.AddRange(Progress.Select(p => p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation));
        if (Terminating is not null)
        {
            parts.Add(Terminating.ToString());
        }

        return string.Join("\n", parts);
    }

    /// <summary>Throws with every error's text when the run failed, so a failing test says why.</summary>
    public PowerShellResult ShouldSucceed()
    {
        if (Terminating is not null || Errors.Count > 0)
        {
            string errors = string.Join("\n", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e));
            throw new Xunit.Sdk.XunitException($"PowerShell failed. Terminating: {Terminating?.Message}\nErrors:\n{errors}");
        }

        return this;
    }
}
