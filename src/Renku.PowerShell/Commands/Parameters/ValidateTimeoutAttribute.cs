using System.Management.Automation;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>Refuses a timeout that is not positive or longer than <see cref="MaximumSeconds"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateTimeoutAttribute : ValidateArgumentsAttribute
{
    /// <summary>A positive timeout of at most a day.</summary>
    public ValidateTimeoutAttribute()
        : this(TimeSpan.FromDays(1).TotalSeconds)
    {
    }

    public ValidateTimeoutAttribute(double maximumSeconds)
    {
        MaximumSeconds = maximumSeconds;
    }

    public double MaximumSeconds { get; }

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is not TimeSpan span)
        {
            throw new ValidationMetadataException("A timeout is needed: a number of seconds, a duration such as 30s or 2m, or a TimeSpan.");
        }

        if (span <= TimeSpan.Zero)
        {
            throw new ValidationMetadataException($"The timeout {span} is not positive: give a number of seconds greater than 0, for example 60.");
        }

        if (span.TotalSeconds > MaximumSeconds)
        {
            throw new ValidationMetadataException($"The timeout {span} is longer than the {TimeSpan.FromSeconds(MaximumSeconds)} allowed.");
        }
    }
}
