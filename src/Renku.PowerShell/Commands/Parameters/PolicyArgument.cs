using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Compliance;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>Turns the -Policy argument (a path to .psd1/.json/.yml, a hashtable, or a policy object) into a policy.</summary>
internal static class PolicyArgument
{
    private static readonly PathRole PolicyPath = new(PathKind.File, "policy file", ErrorIds.InvalidCompliancePolicy, Advice: "Give -Policy the path of a .psd1, .json or .yml policy file (relative to the current location), or a hashtable.");

    /// <summary>The policy; a path that names no policy file stops the cmdlet.</summary>
    internal static CompliancePolicy Resolve(RenkuCmdlet cmdlet, object? value)
    {
        object? raw = value is PSObject ps ? ps.BaseObject : value;
        switch (raw)
        {
            case null:
                return CompliancePolicy.Default;
            case CompliancePolicy policy:
                return policy;
            case IDictionary dictionary:
                return CompliancePolicy.FromDictionary((IDictionary)Hashtables.Unwrap(dictionary)!, "The -Policy hashtable");
            case string path:
                if (!ProviderPaths.TryOne(cmdlet, path, literal: true, PolicyPath, out string? full, out ErrorRecord? error))
                {
                    cmdlet.Refuse(error);
                }

                if (string.Equals(Path.GetExtension(full), ".psd1", StringComparison.OrdinalIgnoreCase))
                {
                    return FromDataFile(full);
                }

                return CompliancePolicy.Load(full);
            default:
                throw new CompliancePolicyException($"-Policy takes a path to a .psd1, .json or .yml file, or a hashtable; got a {raw.GetType().Name}.");
        }
    }

    private static CompliancePolicy FromDataFile(string path)
    {
        ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            throw new CompliancePolicyException($"The policy file '{path}' is not valid PowerShell data: line {errors[0].Extent.StartLineNumber}: {errors[0].Message}");
        }

        if (ast.EndBlock?.Statements.Count != 1 || ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) is not HashtableAst table)
        {
            throw new CompliancePolicyException($"The policy file '{path}' must hold one hashtable, @{{ ... }}.");
        }

        object? data;
        try
        {
            data = table.SafeGetValue();
        }
        catch (InvalidOperationException ex)
        {
            throw new CompliancePolicyException($"The policy file '{path}' may hold only constant data (no commands or variables): {ex.Message}", ex);
        }

        return CompliancePolicy.FromDictionary((IDictionary)Hashtables.Unwrap(data)!, path);
    }
}
