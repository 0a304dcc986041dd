using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Reflection;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// Binds the keys of a hashtable piped to a cmdlet that implements <see cref="IHashtableInput"/>
/// (from Import-PowerShellDataFile, say) to its parameters that take pipeline input by property
/// name, as PowerShell binds a [pscustomobject]'s properties: names and aliases, any case, unless
/// the command line gave the parameter. Each record's values are undone before the next record
/// binds. A cmdlet type's by-property-name parameters are reflected once.
/// </summary>
internal sealed class HashtableRecordBinder
{
    private static readonly ConcurrentDictionary<Type, ByNameParameter[]> Parameters = new();

    private readonly PSCmdlet cmdlet;
    private readonly IHashtableInput input;
    private readonly HashSet<string> givenOnCommandLine;
    private readonly ByNameParameter[] parameters;
    private Dictionary<PropertyInfo, object?>? fromRecord;

    /// <summary>Starts binding for one invocation; the parameters bound now came from the command line.</summary>
    internal HashtableRecordBinder(PSCmdlet cmdlet, IHashtableInput input)
    {
        this.cmdlet = cmdlet;
        this.input = input;
        givenOnCommandLine = new HashSet<string>(cmdlet.MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        parameters = Parameters.GetOrAdd(cmdlet.GetType(), Reflect);
    }

    /// <summary>
    /// Undoes the previous record's values, then binds the keys of the hashtable piped in now, if
    /// any. False, with <paramref name="refused"/> set, when a value does not convert.
    /// </summary>
    internal bool Bind(out ErrorRecord? refused)
    {
        refused = null;
        if (fromRecord is not null)
        {
            foreach (var (property, previous) in fromRecord)
            {
                property.SetValue(cmdlet, previous);
                cmdlet.MyInvocation.BoundParameters.Remove(property.Name);
            }

            fromRecord.Clear();
        }

        if (input.InputObject is null)
        {
            return true;
        }

        IDictionary record = input.InputObject;
        input.InputObject = null;
        if (record.Count == 0)
        {
            return true;
        }

        string parameterSet = cmdlet.ParameterSetName;
        foreach (ByNameParameter parameter in parameters)
        {
            if (!parameter.InSet(parameterSet))
            {
                continue;
            }

            PropertyInfo property = parameter.Property;
            DictionaryEntry? entry = record.Cast<DictionaryEntry>().Cast<DictionaryEntry?>()
                .FirstOrDefault(e => parameter.Names.Any(n => string.Equals(n, e!.Value.Key?.ToString(), StringComparison.OrdinalIgnoreCase)));
            if (entry is null || givenOnCommandLine.Contains(property.Name))
            {
                continue;
            }

            object? converted;
            try
            {
                converted = LanguagePrimitives.ConvertTo(entry.Value.Value, property.PropertyType, CultureInfo.InvariantCulture);
            }
            catch (PSInvalidCastException ex)
            {
                refused = ErrorMap.Record(ex, ErrorIds.InvalidPipelineInput, record, $"The piped hashtable's '{entry.Value.Key}' ({entry.Value.Value}) cannot be -{property.Name}: {ex.Message}", "Correct the value; nothing was done for this input.");
                return false;
            }

            fromRecord ??= new Dictionary<PropertyInfo, object?>();
            fromRecord[property] = property.GetValue(cmdlet);
            property.SetValue(cmdlet, converted);
            cmdlet.MyInvocation.BoundParameters[property.Name] = converted;
        }

        return true;
    }

    /// <summary>The cmdlet type's parameters that take pipeline input by property name, with their names, aliases and parameter sets.</summary>
    private static ByNameParameter[] Reflect(Type type)
    {
        var found = new List<ByNameParameter>();
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string[] sets = property.GetCustomAttributes<ParameterAttribute>()
                .Where(a => a.ValueFromPipelineByPropertyName)
                .Select(a => a.ParameterSetName)
                .ToArray();
            if (sets.Length > 0)
            {
                string[] aliases = property.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).ToArray();
                found.Add(new ByNameParameter(property, aliases.Prepend(property.Name).ToArray(), sets));
            }
        }

        return found.ToArray();
    }

    private sealed record ByNameParameter(PropertyInfo Property, string[] Names, string[] ParameterSets)
    {
        internal bool InSet(string parameterSet) =>
            ParameterSets.Any(s => s == ParameterAttribute.AllParameterSets || s == parameterSet);
    }
}
