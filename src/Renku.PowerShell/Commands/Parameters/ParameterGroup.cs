using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Reflection;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// Parameters that several cmdlets share (registry access, cluster target, upgrade policy, the
/// Renku connection), declared once as <c>[Parameter]</c> properties of a group class. A cmdlet
/// lists the groups it takes; <see cref="RenkuCmdlet"/> offers their parameters to PowerShell as
/// dynamic parameters and copies the bound values back into the group before each block runs, so
/// cmdlet code reads plain properties.
/// </summary>
public abstract class ParameterGroup
{
    /// <param name="parameterSets">The cmdlet's parameter sets the group's parameters belong to; none for all of them.</param>
    protected ParameterGroup(string[] parameterSets)
    {
        ParameterSets = parameterSets;
    }

    /// <summary>The parameter sets of the cmdlet the group's parameters belong to; empty for all of them.</summary>
    internal IReadOnlyList<string> ParameterSets { get; }

    internal IEnumerable<PropertyInfo> Parameters() =>
        GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.IsDefined(typeof(ParameterAttribute), inherit: true));

    /// <summary>Adds this group's parameters to <paramref name="dictionary"/>.</summary>
    internal void Describe(RuntimeDefinedParameterDictionary dictionary)
    {
        foreach (PropertyInfo property in Parameters())
        {
            var attributes = new Collection<Attribute>();
            foreach (Attribute attribute in property.GetCustomAttributes(inherit: true).Cast<Attribute>())
            {
                if (attribute is ParameterAttribute parameter && ParameterSets.Count > 0)
                {
                    foreach (string set in ParameterSets)
                    {
                        attributes.Add(InSet(parameter, set));
                    }
                }
                else
                {
                    attributes.Add(attribute);
                }
            }

            dictionary.Add(property.Name, new RuntimeDefinedParameter(property.Name, property.PropertyType, attributes));
        }
    }

    /// <summary>Copies the values PowerShell bound into this group's properties.</summary>
    internal void Apply(RuntimeDefinedParameterDictionary dictionary)
    {
        foreach (PropertyInfo property in Parameters())
        {
            if (dictionary.TryGetValue(property.Name, out RuntimeDefinedParameter? parameter) && parameter.IsSet)
            {
                object? value = parameter.Value is PSObject wrapped && !property.PropertyType.IsInstanceOfType(wrapped) ? wrapped.BaseObject : parameter.Value;
                property.SetValue(this, value);
            }
        }
    }

    private static ParameterAttribute InSet(ParameterAttribute template, string set)
    {
        var copy = new ParameterAttribute
        {
            ParameterSetName = set,
            Mandatory = template.Mandatory,
            Position = template.Position,
            ValueFromPipeline = template.ValueFromPipeline,
            ValueFromPipelineByPropertyName = template.ValueFromPipelineByPropertyName,
            ValueFromRemainingArguments = template.ValueFromRemainingArguments,
            DontShow = template.DontShow,
        };
        if (template.HelpMessage is not null)
        {
            copy.HelpMessage = template.HelpMessage;
        }

        return copy;
    }
}
