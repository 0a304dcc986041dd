using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>Timeouts bind as people write them: seconds, a duration with a unit, or a TimeSpan; nonsense is refused.</summary>
public class TimeoutArgumentTests
{
    private const string Binder = @"
        function Get-Timeout {
            param([Renku.PowerShell.Commands.Parameters.TimeoutArgument()][Renku.PowerShell.Commands.Parameters.ValidateTimeout(86400)][TimeSpan] $Timeout)
            $Timeout.TotalSeconds
        }";

    [Theory]
    [InlineData("60", 60)]
    [InlineData("1.5", 1.5)]
    [InlineData("'90'", 90)]
    [InlineData("'500ms'", 0.5)]
    [InlineData("'30s'", 30)]
    [InlineData("'2m'", 120)]
    [InlineData("'1h'", 3600)]
    [InlineData("'00:01:00'", 60)]
    [InlineData("([timespan]::FromMinutes(3))", 180)]
    public void NumbersAreSecondsAndDurationsKeepTheirUnit(string argument, double seconds)
    {
        var result = ModuleHost.Run(Binder + $"\nGet-Timeout -Timeout {argument}").ShouldSucceed();
        Assert.Equal(seconds, (double)result.Output.Single().BaseObject, 6);
    }

    [Theory]
    [InlineData("0", "ParameterArgumentValidationError")]
    [InlineData("-5", "ParameterArgumentValidationError")]
    [InlineData("'100000'", "ParameterArgumentValidationError")]
    [InlineData("'soon'", "ParameterArgumentTransformationError")]
    [InlineData("'10 parsecs'", "ParameterArgumentTransformationError")]
    public void NonsenseIsRefusedWithAStableId(string argument, string errorId)
    {
        var result = ModuleHost.Run(Binder + $"\nGet-Timeout -Timeout {argument}");
        Assert.Contains(result.ErrorIds, id => id.StartsWith(errorId + ",", StringComparison.Ordinal));
    }

    [Fact]
    public void ProbeTimeoutTakesSecondsOnTheCmdlet()
    {
        var attributes = ModuleHost.Run("(Get-Command Test-RenkuImageCompliance).Parameters['ProbeTimeout'].Attributes | ForEach-Object { $_.GetType().Name }").ShouldSucceed();
        Assert.Contains("TimeoutArgumentAttribute", attributes.Output.Select(o => o.BaseObject.ToString()));

        var refused = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile ./nope -ProbeTimeout 0");
        Assert.Equal(new[] { "ParameterArgumentValidationError,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand" }, refused.ErrorIds);

        // 60 binds (as seconds) and the command goes on to the next problem, the missing file.
        var bound = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile ./nope -ProbeTimeout 60");
        Assert.Equal(new[] { "DockerfileNotFound,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand" }, bound.ErrorIds);
    }
}
