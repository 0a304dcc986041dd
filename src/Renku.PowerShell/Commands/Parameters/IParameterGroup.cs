namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// Marks the interface of a parameter group: parameters several cmdlets share (registry access,
/// cluster target, upgrade policy, session settings, record digest, compliance policy). Code reads
/// the group through its interface <c>I…Parameters</c>; the template class <c>…Parameters</c> beside
/// it holds the one declaration (attributes, aliases, validation, default, comment); extension
/// methods turn the values into the engine's options. A cmdlet that takes the group implements the
/// interface and declares its properties as plain <c>[Parameter]</c> properties, as in the template
/// (only parameter-set membership and Mandatory per set may differ). ParameterGroupConventionTests
/// finds every group by this marker and checks every declaration against its template.
/// </summary>
public interface IParameterGroup
{
}
