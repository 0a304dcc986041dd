using System.Management.Automation;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>The file a report cmdlet writes: its folder must exist, and -NoClobber keeps an existing file.</summary>
internal static class ReportFile
{
    private static readonly PathRole ReportPath = new(PathKind.File, "report", ErrorIds.ReportPathInvalid, ExistsId: ErrorIds.ReportFileExists);

    /// <summary>The full path of <paramref name="path"/>; stops the cmdlet (ReportPathInvalid, ReportFileExists) before anything is written.</summary>
    internal static string Resolve(RenkuCmdlet cmdlet, string path, bool noClobber)
    {
        if (!ProviderPaths.TryOutput(cmdlet, path, ReportPath, noClobber, out string? target, out ErrorRecord? error))
        {
            cmdlet.Refuse(error);
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

            cmdlet.Refuse(ErrorMap.Record(ex, ErrorIds.ReportPathInvalid, path));
        }
    }
}
