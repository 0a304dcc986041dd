using Xunit;

namespace Renku.PowerShell.Tests.Builds;

/// <summary>
/// The session settings are declared once (a parameter group) for Build-RenkuImage -Verify, and
/// Test-RenkuImageCompliance, which binds them from piped environments, declares the same: same
/// names, types, aliases, validation and pipeline binding.
/// </summary>
public class SessionSettingsParameterTests
{
    private static readonly string[] Settings = { "Port", "Uid", "Gid", "DefaultUrl", "WorkingDirectory", "MountDirectory", "Command", "Arguments", "StripPathPrefix", "SessionKind", "ProbeTimeout" };

    [Fact]
    public void BuildAndTestDeclareTheSameSessionSettings()
    {
        var result = ModuleHost.Run(@"
            function Describe-Parameter($command, $name) {
                $p = (Get-Command $command).Parameters[$name]
                if (-not $p) { return ""$name missing on $command"" }
                [string[]] $attributes = @($p.Attributes | Where-Object { $_ -isnot [System.Management.Automation.ParameterAttribute] -and $_ -isnot [System.Management.Automation.AliasAttribute] } |
                    ForEach-Object { $_.GetType().Name + $(if ($_ -is [System.Management.Automation.ValidateRangeAttribute]) { ""($($_.MinRange)..$($_.MaxRange))"" }) })
                [array]::Sort($attributes)
                [string[]] $aliases = @($p.Aliases)
                [array]::Sort($aliases)
                $byName = @($p.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
                ""$name : $($p.ParameterType.FullName) aliases=$($aliases -join ',') attributes=$($attributes -join ',') byName=$byName""
            }
            foreach ($name in $names) {
                [pscustomobject]@{ Test = Describe-Parameter Test-RenkuImageCompliance $name; Build = Describe-Parameter Build-RenkuImage $name }
            }",
            new Dictionary<string, object?> { ["names"] = Settings }).ShouldSucceed();

        Assert.Equal(Settings.Length, result.Output.Count);
        foreach (var row in result.Output)
        {
            Assert.Equal((string)row.Properties["Test"].Value, (string)row.Properties["Build"].Value);
        }
    }
}
