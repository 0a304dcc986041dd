using System.Collections;
using System.Globalization;
using System.Management.Automation;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>Reads the hashtables users pass: name/value settings (-BuildArg, -Label, -Env), policies, piped records.</summary>
internal static class Hashtables
{
    /// <summary>The entries as invariant strings: <c>$true</c> becomes <c>true</c>, numbers keep no culture, <c>$null</c> is empty.</summary>
    internal static Dictionary<string, string> ToStrings(Hashtable? table)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is null)
        {
            return result;
        }

        foreach (DictionaryEntry entry in table)
        {
            object? value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            result[entry.Key.ToString()!] = value switch
            {
                null => string.Empty,
                bool b => b ? "true" : "false",
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? string.Empty,
            };
        }

        return result;
    }

    /// <summary>Replaces PSObject wrappers by their base objects, all the way down.</summary>
    internal static object? Unwrap(object? value)
    {
        value = value is PSObject ps ? ps.BaseObject : value;
        switch (value)
        {
            case IDictionary dictionary:
                var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                foreach (DictionaryEntry entry in dictionary)
                {
                    table[Unwrap(entry.Key)!] = Unwrap(entry.Value);
                }

                return table;
            case string:
                return value;
            case IEnumerable items:
                return items.Cast<object?>().Select(Unwrap).ToList();
            default:
                return value;
        }
    }
}
