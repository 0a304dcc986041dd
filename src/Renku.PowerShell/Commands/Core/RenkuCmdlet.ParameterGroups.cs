using System.Management.Automation;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>The shared parameters a cmdlet takes, offered to PowerShell as dynamic parameters.</summary>
public abstract partial class RenkuCmdlet : IDynamicParameters
{
    private RuntimeDefinedParameterDictionary? dynamicParameters;
    private IReadOnlyList<ParameterGroup>? groups;

    /// <summary>The groups of shared parameters this cmdlet takes (created once per invocation).</summary>
    protected virtual IEnumerable<ParameterGroup> CreateParameterGroups() => Array.Empty<ParameterGroup>();

    private IReadOnlyList<ParameterGroup> Groups => groups ??= CreateParameterGroups().ToList();

    public object? GetDynamicParameters()
    {
        if (Groups.Count == 0)
        {
            return null;
        }

        if (dynamicParameters is null)
        {
            dynamicParameters = new RuntimeDefinedParameterDictionary();
            foreach (ParameterGroup group in Groups)
            {
                group.Describe(dynamicParameters);
            }
        }

        return dynamicParameters;
    }

    /// <summary>The group of type <typeparamref name="T"/> this cmdlet declared.</summary>
    protected T Group<T>()
        where T : ParameterGroup => Groups.OfType<T>().Single();

    private void ApplyParameterGroups()
    {
        if (dynamicParameters is not null)
        {
            foreach (ParameterGroup group in Groups)
            {
                group.Apply(dynamicParameters);
            }
        }
    }
}
