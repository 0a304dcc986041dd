using System.Globalization;
using System.Management.Automation;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// Lets a TimeSpan parameter take a timeout as people write it: a number of seconds
/// (<c>-ProbeTimeout 60</c>, <c>1.5</c>, <c>'90'</c>), a duration with a unit (<c>'500ms'</c>, <c>'30s'</c>,
/// <c>'2m'</c>, <c>'1h'</c>), or a TimeSpan (<c>00:01:00</c>, <c>[timespan]::FromMinutes(1)</c>).
/// Without it PowerShell reads a bare number as ticks, so 60 would mean 6 microseconds.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeoutArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null => throw new ArgumentTransformationMetadataException("A timeout is needed: a number of seconds, a duration such as 30s or 2m, or a TimeSpan."),
            TimeSpan span => span,
            byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => Seconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), value),
            string text => Parse(text),
            _ => throw Refused(value),
        };
    }

    /// <summary>Reads a timeout written as seconds, a number with a unit, or a TimeSpan.</summary>
    internal static TimeSpan Parse(string text)
    {
        string trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return Seconds(seconds, text);
        }

        foreach ((string unit, double factor) in new[] { ("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0) })
        {
            if (trimmed.EndsWith(unit, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(trimmed[..^unit.Length].TrimEnd(), NumberStyles.Float, CultureInfo.InvariantCulture, out double amount))
            {
                return Seconds(amount * factor, text);
            }
        }

        if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out TimeSpan span))
        {
            return span;
        }

        throw Refused(text);
    }

    private static TimeSpan Seconds(double seconds, object original)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds || seconds < TimeSpan.MinValue.TotalSeconds)
        {
            throw Refused(original);
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static ArgumentTransformationMetadataException Refused(object value) =>
        new($"'{value}' is not a timeout: give a number of seconds (60), a duration with a unit (500ms, 30s, 2m, 1h) or a TimeSpan (00:01:00).");
}
