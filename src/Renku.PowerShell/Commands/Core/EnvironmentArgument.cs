using System.Collections;
using System.Globalization;
using System.Management.Automation;


using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>Reads an environment-shaped object (a Renku environment, a hashtable, a JSON object) into settings.</summary>
internal static class EnvironmentArgument
{
    internal static string? Image(object environment) => Text(environment, "Image", "container_image", "ContainerImage");

    internal static SessionSettings Read(object environment)
    {
        return new SessionSettings
        {
            Name = Text(environment, "Name", "EnvironmentName"),
            Port = Number(environment, "Port") ?? SessionSettings.RenkuImagePort,
            Uid = Number(environment, "Uid") ?? SessionSettings.RenkuUserId,
            Gid = Number(environment, "Gid") ?? SessionSettings.RenkuUserId,
            DefaultUrl = Text(environment, "DefaultUrl", "default_url") ?? "/",
            WorkingDirectory = Empty(Text(environment, "WorkingDirectory", "working_directory")),
            MountDirectory = Empty(Text(environment, "MountDirectory", "mount_directory")),
            Command = List(environment, "Command"),
            Args = List(environment, "Args"),
            StripPathPrefix = Flag(environment, "StripPathPrefix", "strip_path_prefix"),
        };
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The first of <paramref name="names"/> the object holds, as a property or (for a hashtable) a key, any case; unwrapped.</summary>
    internal static object? Get(object environment, params string[] names)
    {
        object target = environment is PSObject ps ? ps.BaseObject : environment;
        if (target is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (names.Any(n => string.Equals(n, entry.Key?.ToString(), StringComparison.OrdinalIgnoreCase)))
                {
                    return Hashtables.Unwrap(entry.Value);
                }
            }

            return null;
        }

        PSObject wrapped = PSObject.AsPSObject(environment);
        foreach (string name in names)
        {
            PSPropertyInfo? property = wrapped.Properties[name];
            if (property is not null)
            {
                return Hashtables.Unwrap(property.Value);
            }
        }

        return null;
    }

    /// <summary>As <see cref="Get"/>, as text (null when absent).</summary>
    internal static string? Text(object environment, params string[] names) => Get(environment, names)?.ToString();

    private static int? Number(object environment, string name)
    {
        object? value = Get(environment, name);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number)
            ? number
            : throw new ArgumentException($"The environment's {name} is '{value}', not a whole number.");
    }

    private static bool Flag(object environment, params string[] names) =>
        Get(environment, names) is object value && (value is bool b ? b : string.Equals(value.ToString(), "true", StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<string>? List(object environment, string name)
    {
        object? value = Get(environment, name);
        return value switch
        {
            null => null,
            string single => new[] { single },
            IEnumerable items => items.Cast<object?>().Select(i => i?.ToString() ?? string.Empty).ToArray(),
            _ => new[] { value.ToString() ?? string.Empty },
        };
    }
}
