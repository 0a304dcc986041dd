using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Environments;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// How the problems of an environments file reach the user: one error record per problem (its own
/// stable id, the problem as target, one paragraph), then one terminating <c>EnvironmentFileInvalid</c>
/// that counts them. Every cmdlet that reads the file reports it this way.
/// </summary>
internal static class EnvironmentFileErrors
{
    /// <summary>Writes one error per problem.</summary>
    internal static void Write(RenkuCmdlet cmdlet, EnvironmentFileCheck check)
    {
        foreach (EnvironmentFileProblem problem in check.Problems)
        {
            cmdlet.WriteError(Record(problem));
        }
    }

    /// <summary>Writes the problems, then stops the cmdlet; does nothing for a file without problems.</summary>
    internal static void ThrowIfInvalid(RenkuCmdlet cmdlet, EnvironmentFileCheck check)
    {
        if (check.IsValid)
        {
            return;
        }

        Write(cmdlet, check);
        int count = check.Problems.Count;
        string message = count == 1
            ? $"{check.Path} has a problem (reported above); nothing was sent. {check.Problems[0].Message}"
            : $"{check.Path} has {count} problems (each reported above); nothing was sent. The first: {check.Problems[0].Message}";
        cmdlet.Refuse(ErrorMap.Record(new EnvironmentFileException(check.Path, null, $"{count} problem(s)."), ErrorIds.EnvironmentFileInvalid, check.Path, message, "Correct every problem listed and run it again; nothing changes in Renku until the whole file is valid."));
    }

    internal static ErrorRecord Record(EnvironmentFileProblem problem)
    {
        return ErrorMap.Record(new EnvironmentFileException(problem.Path, problem.Line, problem.Text), problem.ErrorId, problem, problem.Message, problem.Suggestion ?? "Correct the value in the file; nothing was sent to Renku.");
    }
}
