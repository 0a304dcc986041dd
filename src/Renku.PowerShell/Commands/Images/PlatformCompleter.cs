using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Renku.PowerShell.Commands.Images;

/// <summary>Completes -Platform with the platforms images are commonly built for.</summary>
public sealed class PlatformCompleter : IArgumentCompleter
{
    private static readonly string[] Platforms = { "linux/amd64", "linux/arm64", "linux/arm64/v8", "linux/arm/v7", "linux/ppc64le", "linux/s390x", "linux/386", "linux/riscv64" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Platforms.Where(p => p.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p, p, CompletionResultType.ParameterValue, p));
}
