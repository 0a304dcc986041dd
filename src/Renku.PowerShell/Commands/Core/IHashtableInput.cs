using System.Collections;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// A cmdlet whose by-property-name parameters also bind from the keys of a piped hashtable
/// (Import-PowerShellDataFile returns hashtables). The cmdlet declares <see cref="InputObject"/>
/// as a documented parameter that takes pipeline input by value; <see cref="RenkuCmdlet"/> binds
/// the keys (names and aliases, any case) before each Process() and clears it.
/// </summary>
public interface IHashtableInput
{
    /// <summary>The hashtable piped in (or given) for this input, or null.</summary>
    IDictionary? InputObject { get; set; }
}
