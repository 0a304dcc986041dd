using System.Collections;
using System.Management.Automation;

using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Commands.Core;

/// <summary>Reads an environment-shaped object (a Renku environment, a hashtable, a JSON object).</summary>
internal static class EnvironmentArgument
{
    internal static string? Image(object environment) => Text(environment, "Image", "container_image", "ContainerImage");

    /// <summary>
    /// The session settings the object holds: a global environment's own values, else its fields
    /// by PowerShell or API name (<see cref="SessionSettingsPatch.FieldNames"/>), any case.
    /// </summary>
    /// <exception cref="SessionSettingsException">A port, uid or gid that is not a whole number.</exception>
    internal static SessionSettingsPatch Patch(object environment)
    {
        object target = environment is PSObject ps ? ps.BaseObject : environment;
        return target is GlobalEnvironment global
            ? SessionSettingsPatch.From(global)
            : SessionSettingsPatch.Read((string name, out object? value) => TryGet(environment, name, out value));
    }

    /// <summary>The first of <paramref name="names"/> the object holds, as a property or (for a hashtable) a key, any case; unwrapped.</summary>
    internal static object? Get(object environment, params string[] names)
    {
        foreach (string name in names)
        {
            if (TryGet(environment, name, out object? value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>As <see cref="Get"/>, as text (null when absent).</summary>
    internal static string? Text(object environment, params string[] names) => Get(environment, names)?.ToString();

    /// <summary>Whether the object has the property or key <paramref name="name"/> (any case), and its value, unwrapped (a switch as its flag).</summary>
    private static bool TryGet(object environment, string name, out object? value)
    {
        object target = environment is PSObject ps ? ps.BaseObject : environment;
        if (target is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (string.Equals(name, entry.Key?.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    value = Plain(entry.Value);
                    return true;
                }
            }

            value = null;
            return false;
        }

        PSPropertyInfo? property = PSObject.AsPSObject(environment).Properties[name];
        value = property is null ? null : Plain(property.Value);
        return property is not null;
    }

    private static object? Plain(object? value)
    {
        // PowerShell's "nothing" (a property set from an expression that wrote no output) is null, as parameter binding takes it.
        if (ReferenceEquals(value, System.Management.Automation.Internal.AutomationNull.Value))
        {
            return null;
        }

        object? plain = Hashtables.Unwrap(value);
        return plain is SwitchParameter flag ? flag.IsPresent : plain;
    }
}
