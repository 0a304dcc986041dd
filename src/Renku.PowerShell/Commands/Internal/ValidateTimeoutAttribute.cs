using System.Management.Automation;

namespace Renku.PowerShell.Commands.Internal;

/// <summary>A timeout parameter takes a positive TimeSpan of at most a day (PowerShell's own ParameterArgumentValidationError otherwise).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ValidateTimeoutAttribute : ValidateArgumentsAttribute
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is not TimeSpan span || span <= TimeSpan.Zero || span > Longest)
        {
            throw new ValidationMetadataException($"The timeout must be longer than zero and at most {Longest:g} (e.g. 00:02:00 or [TimeSpan]::FromSeconds(90)); it is {value}.");
        }
    }
}
