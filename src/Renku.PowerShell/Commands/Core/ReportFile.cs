using System.Management.Automation;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>The file a report cmdlet writes: its folder must exist, and -NoClobber keeps an existing file.</summary>
internal static class ReportFile
{
    /// <summary>The full path of <paramref name="path"/>; stops the cmdlet (ReportPathInvalid, ReportFileExists) before anything is written.</summary>
    internal static string Resolve(RenkuCmdlet cmdlet, string path, bool noClobber)
    {
        string target = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
        string? directory = Path.GetDirectoryName(target);
        if (directory is null || !Directory.Exists(directory))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException($"The folder of '{target}' does not exist; create it first."), ErrorIds.ReportPathInvalid, ErrorCategory.ObjectNotFound, path));
        }

        if (noClobber && File.Exists(target))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(new IOException($"'{target}' exists and -NoClobber was given."), ErrorIds.ReportFileExists, ErrorCategory.ResourceExists, path));
        }

        return target;
    }

    /// <summary>
    /// Writes a report beside <paramref name="target"/> (<paramref name="write"/> gets that path) and
    /// moves it over the target, so a reader never sees half a file. A failure removes the partial
    /// file and stops the cmdlet (ReportPathInvalid, naming <paramref name="path"/> as given).
    /// </summary>
    internal static void Write(RenkuCmdlet cmdlet, string target, string path, Action<string> write)
    {
        string partial = target + ".partial";
        try
        {
            write(partial);
            File.Move(partial, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(partial);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The write's own error is the one to report.
            }

            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.ReportPathInvalid, ErrorCategory.WriteError, path));
        }
    }
}
