using System.Management.Automation;

namespace Renku.PowerShell.Bench.Minimal;

/// <summary>What the minimal module's one cmdlet writes.</summary>
public sealed class MinimalThing
{
    public MinimalThing(string name) => Name = name;

    public string Name { get; }
}

/// <summary>Turns a name into a <see cref="MinimalThing"/>: a first command with no work in it.</summary>
[Cmdlet(VerbsData.ConvertTo, "MinimalThing")]
[OutputType(typeof(MinimalThing))]
public sealed class ConvertToMinimalThingCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = string.Empty;

    protected override void ProcessRecord() => WriteObject(new MinimalThing(Name));
}
