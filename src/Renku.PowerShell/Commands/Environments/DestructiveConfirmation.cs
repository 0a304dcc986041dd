using System.Management.Automation;
using System.Management.Automation.Host;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// The confirmation a removal needs. It is given by -Force, by an explicit -Confirm:$false, by
/// $ConfirmPreference = 'None', or by a person answering the prompt; a session that cannot prompt
/// (pwsh -NonInteractive, a runspace without a user interface) gets a <c>ConfirmationRequired</c>
/// error instead of a removal, and nothing is sent.
/// </summary>
internal static class DestructiveConfirmation
{
    /// <summary>How the caller stands on confirmation before anything is asked.</summary>
    internal enum Stance
    {
        /// <summary>-WhatIf: only show.</summary>
        WhatIf,

        /// <summary>-Force, -Confirm:$false or $ConfirmPreference = 'None': go ahead.</summary>
        Given,

        /// <summary>A person must answer (or, where none can, the run is refused).</summary>
        MustAsk,
    }

    internal static Stance Of(PSCmdlet cmdlet, bool force)
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        if (IsSet(bound, "WhatIf") || Preference(cmdlet, "WhatIfPreference"))
        {
            return Stance.WhatIf;
        }

        if (bound.TryGetValue("Confirm", out object? confirm) && confirm is SwitchParameter explicitConfirm)
        {
            return explicitConfirm.IsPresent ? Stance.MustAsk : Stance.Given;
        }

        if (force)
        {
            return Stance.Given;
        }

        return cmdlet.GetVariableValue("ConfirmPreference") is ConfirmImpact preference && preference == ConfirmImpact.None
            ? Stance.Given
            : Stance.MustAsk;
    }

    /// <summary>
    /// Asks <paramref name="ask"/>; when the host cannot prompt, stops the cmdlet with
    /// <c>ConfirmationRequired</c> (nothing removed) instead of letting the host's own failure through.
    /// </summary>
    internal static bool Ask(RenkuCmdlet cmdlet, Func<bool> ask, string what, string instead, object? target)
    {
        bool confirmed = false;
        try
        {
            confirmed = ask();
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or HostException or NotImplementedException)
        {
            string message = $"{what} needs a confirmation, and this session cannot ask for one (it is non-interactive). Nothing was removed or sent.";
            cmdlet.Refuse(ErrorMap.Refused(ErrorIds.ConfirmationRequired, message, target, $"To go ahead without a prompt, run it again with -Force or -Confirm:$false; {instead}", cause: ex));
        }

        return confirmed;
    }

    private static bool IsSet(Dictionary<string, object> bound, string name) =>
        bound.TryGetValue(name, out object? value) && value is SwitchParameter sw && sw.IsPresent;

    private static bool Preference(PSCmdlet cmdlet, string name) => cmdlet.GetVariableValue(name) switch
    {
        bool b => b,
        SwitchParameter s => s.IsPresent,
        _ => false,
    };
}
