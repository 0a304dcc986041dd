using System.Collections;
using System.Management.Automation;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// Guards a string parameter that takes pipeline input by value (an image reference, a
/// repository): a string stays itself, an <see cref="ImageReference"/> gives its text, and any
/// other object (a Renku environment, a [pscustomobject], a hashtable, a row of Import-Csv or
/// ConvertFrom-Json) gives the value of its first property named in <see cref="Properties"/>, or
/// nothing at all. An object is never bound through its ToString(), which is what PowerShell
/// would otherwise do (<c>@{Name=a; Port=8888}</c> as an image reference). Files and folders are
/// left alone for the path parameters that take them by property name.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PipelineTextAttribute : ArgumentTransformationAttribute
{
    /// <param name="properties">The properties (or hashtable keys) that hold the text, first match wins, case-insensitive.</param>
    public PipelineTextAttribute(params string[] properties)
    {
        Properties = properties;
    }

    public IReadOnlyList<string> Properties { get; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = Unwrap(inputData);
        switch (value)
        {
            case null:
            case string:
            case FileSystemInfo:
                return inputData;
            case ImageReference reference:
                return reference.Original;
            case IDictionary dictionary:
                return Texts(Lookup(dictionary));
            case IEnumerable items:
                return items.Cast<object?>().SelectMany(item => Texts(One(item))).ToArray();
            default:
                return Texts(Lookup(PSObject.AsPSObject(inputData!)));
        }
    }

    /// <summary>The text of one element of a list: a string or reference as such, else its named property.</summary>
    private object? One(object? item) => Unwrap(item) switch
    {
        null => null,
        string text => text,
        ImageReference reference => reference.Original,
        IDictionary dictionary => Lookup(dictionary),
        _ => Lookup(PSObject.AsPSObject(item!)),
    };

    private object? Lookup(IDictionary dictionary)
    {
        foreach (string name in Properties)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return entry.Value;
                }
            }
        }

        return null;
    }

    private object? Lookup(PSObject shape)
    {
        foreach (string name in Properties)
        {
            if (shape.Properties[name] is { } property)
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>The strings a found value gives: none for null, one for text, each element's text for a list.</summary>
    private static string[] Texts(object? found) => Unwrap(found) switch
    {
        null => Array.Empty<string>(),
        string text => new[] { text },
        ImageReference reference => new[] { reference.Original },
        IEnumerable items => items.Cast<object?>().Select(Unwrap).OfType<string>().ToArray(),
        var other => other is IFormattable formattable ? new[] { formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture) } : Array.Empty<string>(),
    };

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
