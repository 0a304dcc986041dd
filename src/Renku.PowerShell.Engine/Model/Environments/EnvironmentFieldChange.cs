namespace Renku.PowerShell;

/// <summary>One field that differs between the desired and the current environment.</summary>
public sealed class EnvironmentFieldChange
{
    public EnvironmentFieldChange(string field, object? oldValue, object? newValue)
    {
        Field = field;
        OldValue = oldValue;
        NewValue = newValue;
    }

    /// <summary>The API field name (<c>port</c>, <c>container_image</c>, ...).</summary>
    public string Field { get; }

    public object? OldValue { get; }

    public object? NewValue { get; }

    public override string ToString() => $"{Field}: {Show(OldValue)} -> {Show(NewValue)}";

    internal static string Show(object? value) => value switch
    {
        null => "(none)",
        string[] items => "[" + string.Join(", ", items) + "]",
        string text => "'" + text + "'",
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
