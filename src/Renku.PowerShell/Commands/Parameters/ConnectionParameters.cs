using System.Management.Automation;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>The Renku connection a cmdlet talks to, when it is not the current one.</summary>
public sealed class ConnectionParameters : ParameterGroup
{
    /// <param name="parameterSets">The cmdlet\'s parameter sets these parameters belong to; none for all.</param>
    public ConnectionParameters(params string[] parameterSets)
        : base(parameterSets)
    {
    }

    /// <summary>
    /// The connection to use instead of the current one (from Connect-RenkuInstance). A null is
    /// refused rather than read as "the current one": a script that means no connection must not
    /// quietly use the session's.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public RenkuConnection? Connection { get; set; }
}
