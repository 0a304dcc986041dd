using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;

using Microsoft.PowerShell.Commands;

namespace Renku.PowerShell.Commands.Core;

/// <summary>What a path must name: a file, a folder, or either.</summary>
internal enum PathKind
{
    File,
    Folder,
    FileOrFolder,
}

/// <summary>
/// What a path parameter names, for <see cref="ProviderPaths"/>: the kind of item, the words its
/// errors use, and their ids. <see cref="InvalidId"/> (a path that cannot be one: another provider,
/// a folder for a file, several items for one, a missing folder for a new file) defaults to
/// <see cref="NotFoundId"/>; <see cref="ExistsId"/> is for outputs that must not be overwritten.
/// </summary>
internal sealed record PathRole(PathKind Kind, string What, string NotFoundId, string? InvalidId = null, string? ExistsId = null, string? Advice = null)
{
    internal string Invalid => InvalidId ?? NotFoundId;
}

/// <summary>
/// The one resolver of the paths cmdlets take. A path goes through PowerShell's provider, so it is
/// relative to the current location ($PWD, not the process's folder) and may use <c>~</c> and
/// PSDrives; -Path expands wildcards, -LiteralPath does not. Only the FileSystem provider is
/// accepted. Every problem is an error record from <see cref="ErrorMap"/> with the role's ids;
/// the caller decides whether it stops the cmdlet or only this input.
/// </summary>
internal static class ProviderPaths
{
    /// <summary>-RecordDigest: a file read when it exists and written at the end.</summary>
    internal static readonly PathRole DigestRecord = new(PathKind.File, "digest record", ErrorIds.InvalidDigestRecord);

    /// <summary>
    /// Every item that <paramref name="paths"/> name (wildcards unless <paramref name="literal"/>);
    /// a path that names nothing of the role's kind is reported through <paramref name="report"/> and skipped.
    /// </summary>
    internal static List<string> Existing(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal, PathRole role, Action<ErrorRecord> report)
    {
        var found = new List<string>();
        foreach (string path in paths)
        {
            if (TryResolve(cmdlet, path, literal, role, out List<string>? items, out ErrorRecord? error))
            {
                found.AddRange(items);
            }
            else
            {
                report(error);
            }
        }

        return found;
    }

    /// <summary>The one existing item <paramref name="path"/> names (a pattern must match exactly one unless <paramref name="literal"/>).</summary>
    internal static bool TryOne(PSCmdlet cmdlet, string path, bool literal, PathRole role, [NotNullWhen(true)] out string? item, [NotNullWhen(false)] out ErrorRecord? error)
    {
        item = null;
        if (!TryResolve(cmdlet, path, literal, role, out List<string>? items, out error))
        {
            return false;
        }

        if (items.Count != 1)
        {
            error = ErrorMap.PathAmbiguous(role.Invalid, path, role.What, items.Count, role.Advice);
            return false;
        }

        item = items[0];
        return true;
    }

    /// <summary>
    /// A file the cmdlet writes, new or not: a literal path whose folder exists and that is not a
    /// folder itself; with <paramref name="noClobber"/> an existing file is refused (the role's ExistsId).
    /// </summary>
    internal static bool TryOutput(PSCmdlet cmdlet, string path, PathRole role, bool noClobber, [NotNullWhen(true)] out string? file, [NotNullWhen(false)] out ErrorRecord? error)
    {
        file = null;
        if (!TryProviderPath(cmdlet, path, role, out string? full, out error))
        {
            return false;
        }

        if (Directory.Exists(full))
        {
            error = ErrorMap.PathOfWrongKind(role.Invalid, path, role.What, isFolder: true, role.Advice);
            return false;
        }

        string? folder = System.IO.Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            error = ErrorMap.PathFolderMissing(role.Invalid, path, full, role.Advice);
            return false;
        }

        if (noClobber && File.Exists(full))
        {
            error = ErrorMap.PathExists(role.ExistsId ?? role.Invalid, path, full);
            return false;
        }

        file = full;
        return true;
    }

    private static bool TryResolve(PSCmdlet cmdlet, string path, bool literal, PathRole role, [NotNullWhen(true)] out List<string>? items, [NotNullWhen(false)] out ErrorRecord? error)
    {
        items = null;
        if (literal || !WildcardPattern.ContainsWildcardCharacters(path))
        {
            if (!TryProviderPath(cmdlet, path, role, out string? full, out error))
            {
                return false;
            }

            if (!Exists(full, role.Kind, out bool otherKind))
            {
                error = otherKind
                    ? ErrorMap.PathOfWrongKind(role.Invalid, path, role.What, isFolder: Directory.Exists(full), role.Advice)
                    : ErrorMap.PathNotFound(role.NotFoundId, path, role.What, wildcard: false, role.Advice);
                return false;
            }

            items = new List<string> { full };
            return true;
        }

        ProviderInfo provider;
        List<string> matches;
        try
        {
            matches = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider).ToList();
        }
        catch (ItemNotFoundException)
        {
            error = ErrorMap.PathNotFound(role.NotFoundId, path, role.What, wildcard: true, role.Advice);
            return false;
        }
        catch (Exception ex) when (IsPathProblem(ex))
        {
            error = ErrorMap.PathInvalid(role.Invalid, path, role.What, ex, role.Advice);
            return false;
        }

        if ((error = OffTheFileSystem(provider, path, role)) is not null)
        {
            return false;
        }

        items = matches.Where(m => Exists(m, role.Kind, out _)).ToList();
        if (items.Count == 0)
        {
            error = ErrorMap.PathNotFound(role.NotFoundId, path, role.What, wildcard: true, role.Advice);
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// The file system path of <paramref name="path"/> taken literally, through the provider;
    /// whether it exists is left to the caller (which has a better word for a missing one).
    /// </summary>
    internal static bool TryProviderPath(PSCmdlet cmdlet, string path, PathRole role, [NotNullWhen(true)] out string? full, [NotNullWhen(false)] out ErrorRecord? error)
    {
        full = null;
        ProviderInfo provider;
        string resolved;
        try
        {
            resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception ex) when (IsPathProblem(ex))
        {
            error = ErrorMap.PathInvalid(role.Invalid, path, role.What, ex, role.Advice);
            return false;
        }

        if ((error = OffTheFileSystem(provider, path, role)) is not null)
        {
            return false;
        }

        full = resolved;
        return true;
    }

    /// <summary>The refusal of a path another provider than the file system's resolved; null for a file system path.</summary>
    private static ErrorRecord? OffTheFileSystem(ProviderInfo provider, string path, PathRole role) =>
        provider.ImplementingType == typeof(FileSystemProvider) ? null : ErrorMap.PathNotOnFileSystem(role.Invalid, path, role.What, provider.Name);

    private static bool Exists(string full, PathKind kind, out bool otherKind)
    {
        bool file = File.Exists(full);
        bool folder = !file && Directory.Exists(full);
        otherKind = (kind == PathKind.File && folder) || (kind == PathKind.Folder && file);
        return kind switch
        {
            PathKind.File => file,
            PathKind.Folder => folder,
            _ => file || folder,
        };
    }

    // What PowerShell throws for a path it cannot resolve: an unknown drive or provider, a provider
    // that cannot resolve paths, text that is not a path.
    private static bool IsPathProblem(Exception ex) =>
        ex is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or ProviderInvocationException or NotSupportedException or PSArgumentException or ArgumentException or PSInvalidOperationException or IOException;
}
