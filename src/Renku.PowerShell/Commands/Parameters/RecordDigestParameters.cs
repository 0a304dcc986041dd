using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>A file of tag digests an upgrade audit keeps between runs, to catch tags pushed again.</summary>
public interface IRecordDigestParameters : IParameterGroup
{
    /// <inheritdoc cref="RecordDigestParameters.RecordDigest"/>
    string? RecordDigest { get; }
}

/// <summary>The template of <see cref="IRecordDigestParameters"/>: the one declaration every cmdlet taking the group repeats.</summary>
internal sealed class RecordDigestParameters : IRecordDigestParameters
{
    /// <summary>A JSON file of tag digests kept between runs, to catch tags pushed again.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RecordDigest { get; set; }
}

/// <summary>Opens and saves the digest record -RecordDigest names.</summary>
internal static class RecordDigestFile
{
    /// <summary>
    /// The record -RecordDigest names, or null without it; a path that cannot be written, or a file
    /// that cannot be read or is not a digest record, stops the cmdlet before anything is read.
    /// </summary>
    internal static DigestRecord? OpenDigestRecord<TCmdlet>(this TCmdlet cmdlet)
        where TCmdlet : RenkuCmdlet, IRecordDigestParameters
    {
        if (cmdlet.RecordDigest is null)
        {
            return null;
        }

        if (!ProviderPaths.TryOutput(cmdlet, cmdlet.RecordDigest, ProviderPaths.DigestRecord, noClobber: false, out string? path, out ErrorRecord? error))
        {
            cmdlet.Refuse(error);
        }

        DigestRecord? record = null;
        try
        {
            record = DigestRecord.Open(path);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            cmdlet.Refuse(ErrorMap.Record(ex, ErrorIds.InvalidDigestRecord, cmdlet.RecordDigest));
        }

        return record;
    }

    /// <summary>Saves <paramref name="record"/> (when there is one); the error to write when it could not be saved, else null.</summary>
    internal static ErrorRecord? SaveDigestRecord(this IRecordDigestParameters parameters, DigestRecord? record)
    {
        if (record is null)
        {
            return null;
        }

        try
        {
            record.Save();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ErrorMap.Record(ex, ErrorIds.InvalidDigestRecord, parameters.RecordDigest);
        }
    }
}
