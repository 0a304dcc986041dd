using System.Management.Automation;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// Takes only an object that already is of <see cref="Type"/> (or null). PowerShell would
/// otherwise build one of the module's objects out of any [pscustomobject] whose property names
/// match some of the type's, so that <c>[pscustomobject]@{ Image = 'x' } | Test-RenkuImageCompliance</c>
/// bound as an upgrade row instead of as an image. Any other object is handed on as a
/// <see cref="NotOfType"/>, which no conversion turns into the parameter's type: from the
/// pipeline the binder then goes on to the parameters that take the object by property name
/// (a transformation that threw would stop the binding instead); given on the command line, the
/// failed conversion is the parameter's binding error and names what was given.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class OnlyOfTypeAttribute : ArgumentTransformationAttribute
{
    public OnlyOfTypeAttribute(Type type)
    {
        Type = type;
    }

    public Type Type { get; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value is null || Type.IsInstanceOfType(value) ? value : new NotOfType(Type, value);
    }

    /// <summary>What was given instead of the parameter's type; it converts to nothing.</summary>
    public sealed class NotOfType
    {
        internal NotOfType(Type wanted, object given)
        {
            Description = $"a {given.GetType().Name}, where only objects of type {wanted.Name} are taken";
        }

        public string Description { get; }

        public override string ToString() => Description;
    }
}
