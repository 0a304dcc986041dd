using System.Management.Automation;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// Every exported cmdlet has a docs/help page that matches its real parameters, and Get-Help
/// shows what the page says (the build turned the markdown into MAML).
/// </summary>
public class HelpTests
{
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    private static readonly Lazy<Dictionary<string, string[]>> CmdletParameters = new(() =>
        // Hidden parameters (DontShow: the hashtable pipeline binding) are left out, as platyPS leaves them out.
        ModuleHost.Run("Get-Command -Module Renku.PowerShell | ForEach-Object { $_.Name + '|' + (@($_.Parameters.Values | Where-Object { -not ($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) } | ForEach-Object Name) -join ',') }")
            .ShouldSucceed().Output
            .Select(o => ((string)o.BaseObject).Split('|'))
            .ToDictionary(p => p[0], p => p[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Where(n => !CommonParameters.Contains(n)).ToArray()));

    public static IEnumerable<object[]> CmdletNames() => CmdletParameters.Value.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void EveryCmdletHasAHelpPage(string name) =>
        Assert.True(File.Exists(PagePath(name)), $"docs/help/{name}.md is missing.");

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HelpPageDocumentsExactlyTheCmdletsParameters(string name)
    {
        string[] documented = File.ReadAllLines(PagePath(name))
            .Where(l => l.StartsWith("### -", StringComparison.Ordinal))
            .Select(l => l.Substring(5).Trim())
            .ToArray();
        string[] actual = CmdletParameters.Value[name];
        Assert.True(actual.Except(documented, StringComparer.OrdinalIgnoreCase).Count() == 0, $"{name}: undocumented parameters: {string.Join(", ", actual.Except(documented, StringComparer.OrdinalIgnoreCase))}");
        Assert.True(documented.Except(actual, StringComparer.OrdinalIgnoreCase).Count() == 0, $"{name}: the page documents parameters the cmdlet lacks: {string.Join(", ", documented.Except(actual, StringComparer.OrdinalIgnoreCase))}");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void GetHelpFullShowsSynopsisParametersAndExamples(string name)
    {
        var result = ModuleHost.Run(@"
            $help = Get-Help -Name $name -Full
            [pscustomobject]@{
                Synopsis = [string]$help.Synopsis
                Examples = @($help.examples.example).Count
                FirstExample = [string]@($help.examples.example)[0].code
                Parameters = @($help.parameters.parameter | ForEach-Object { $_.name + '=' + (($_.description | ForEach-Object { $_.Text }) -join ' ') })
            }", new Dictionary<string, object?> { ["name"] = name }).ShouldSucceed();
        PSObject help = Assert.Single(result.Output);
        string synopsis = (string)help.Properties["Synopsis"].Value;
        Assert.False(string.IsNullOrWhiteSpace(synopsis));
        Assert.DoesNotContain(name + " ", synopsis, StringComparison.Ordinal); // auto-generated help repeats the syntax
        Assert.True((int)help.Properties["Examples"].Value >= 1, $"{name} has no example in Get-Help.");
        Assert.False(string.IsNullOrWhiteSpace((string)help.Properties["FirstExample"].Value));

        var parameters = ((object[])help.Properties["Parameters"].Value).Select(p => p.ToString()!).ToDictionary(p => p.Split('=')[0], p => p.Split('=', 2)[1], StringComparer.OrdinalIgnoreCase);
        foreach (string parameter in CmdletParameters.Value[name])
        {
            Assert.True(parameters.TryGetValue(parameter, out string? description) && description.Trim().Length > 0, $"{name} -{parameter} has no description in Get-Help.");
        }
    }

    private static string PagePath(string name) => Path.Combine(RepoPaths.Root, "docs", "help", name + ".md");
}
