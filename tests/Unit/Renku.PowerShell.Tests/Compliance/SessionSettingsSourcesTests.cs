using System.Management.Automation;

using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

/// <summary>
/// One environment gives one set of session settings, whichever way it comes: a global environment,
/// a pscustomobject with PowerShell names, a hashtable or JSON object with the API's names (given
/// with -Environment or piped), the parameters, an upgrade row and its candidate check. Each case
/// also says what the settings must be, so a source that agrees with the others on a wrong value
/// fails too. The checks are static, against a loopback registry.
/// </summary>
public sealed class SessionSettingsSourcesTests : IDisposable
{
    private const string Full = "name=Lab port=8080 uid=1001 gid=100 url=/lab wd=/home/a/work md=/home/a";

    private readonly Lazy<RegistryServer> registry = new(() =>
    {
        RegistryServer server = RegistryServer.Start();
        using var pusher = new RegistryPusher(server.BaseUri);
        TestImage image = ComplianceImages.Session();
        pusher.Push("team/lab", "1.0.0", image);
        pusher.Push("team/lab", "1.0.1", image);
        return server;
    });

    public void Dispose()
    {
        if (registry.IsValueCreated)
        {
            registry.Value.Dispose();
        }
    }

    /// <summary>
    /// The cases: the environment's fields by PowerShell name (a value of null is a field that is
    /// there and null; a field left out is missing), whether a global environment can hold it (it
    /// has every field), and the settings expected.
    /// </summary>
    public static TheoryData<string, string, bool, string> Cases => new()
    {
        {
            "every field",
            "Name = 'Lab'; Port = 8080; Uid = 1001; Gid = 100; DefaultUrl = '/lab'; WorkingDirectory = '/home/a/work'; MountDirectory = '/home/a'; Command = @('bash', '-c'); Args = @('run'); StripPathPrefix = $true",
            true,
            Full + " cmd=['bash','-c'] args=['run'] strip=True default=False"
        },
        {
            "empty command and args",
            "Name = 'Lab'; Port = 8080; Uid = 1001; Gid = 100; DefaultUrl = '/lab'; WorkingDirectory = '/home/a/work'; MountDirectory = '/home/a'; Command = @(); Args = @(); StripPathPrefix = $true",
            true,
            Full + " cmd=(null) args=(null) strip=True default=False"
        },
        {
            "null command and args",
            "Name = 'Lab'; Port = 8080; Uid = 1001; Gid = 100; DefaultUrl = '/lab'; WorkingDirectory = '/home/a/work'; MountDirectory = '/home/a'; Command = $null; Args = $null; StripPathPrefix = $true",
            true,
            Full + " cmd=(null) args=(null) strip=True default=False"
        },
        {
            "empty directories",
            "Name = 'Lab'; Port = 8080; Uid = 1001; Gid = 100; DefaultUrl = '/lab'; WorkingDirectory = ''; MountDirectory = ''; Command = @('bash', '-c'); Args = @('run'); StripPathPrefix = $false",
            true,
            "name=Lab port=8080 uid=1001 gid=100 url=/lab wd=(null) md=(null) cmd=['bash','-c'] args=['run'] strip=False default=False"
        },
        {
            "some fields",
            "Port = 8080; WorkingDirectory = '/w'",
            false,
            "name= port=8080 uid=1000 gid=1000 url=/ wd=/w md=(null) cmd=(null) args=(null) strip=False default=False"
        },
        {
            "numbers as text and one command",
            "Name = 'Text'; Port = '8080'; Uid = '1001'; Command = 'start-lab'",
            false,
            "name=Text port=8080 uid=1001 gid=1000 url=/ wd=(null) md=(null) cmd=['start-lab'] args=(null) strip=False default=False"
        },
        {
            "no settings",
            string.Empty,
            false,
            "name= port=8888 uid=1000 gid=1000 url=/ wd=/home/renku/work md=/home/renku/work cmd=(null) args=(null) strip=False default=True"
        },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EverySourceGivesTheSameSettings(string name, string fields, bool global, string expected)
    {
        string image = registry.Value.Host + "/team/lab:1.0.0";
        var result = ModuleHost.Run(Script, new Dictionary<string, object?> { ["image"] = image, ["fields"] = fields, ["global"] = global }, TimeSpan.FromMinutes(3)).ShouldSucceed();
        var bySource = result.Output.Select(o => ((string)o.Properties["Source"].Value, (string)o.Properties["Settings"].Value)).ToList();
        Assert.Equal(global ? 14 : 11, bySource.Count);
        Assert.Equal(global, bySource.Any(s => s.Item1.StartsWith("global environment", StringComparison.Ordinal)));
        var differing = bySource.Where(s => s.Item2 != expected).Select(s => $"{s.Item1}: {s.Item2}").ToList();
        Assert.True(differing.Count == 0, $"{name}: expected {expected}, but{Environment.NewLine}{string.Join(Environment.NewLine, differing)}");
    }

    [SkippableFact]
    public void AnEnvironmentPipedAfterAnotherKeepsNothingOfIt()
    {
        string image = registry.Value.Host + "/team/lab:1.0.0";
        var result = ModuleHost.Run(
            "$full = [pscustomobject]@{ Image = $image; Name = 'Lab'; Port = 8080; WorkingDirectory = '/w'; Command = @('bash'); StripPathPrefix = $true }\n" +
            "$some = [pscustomobject]@{ Image = $image; Uid = 1001 }\n" +
            "$full, $some | Test-RenkuImageCompliance | ForEach-Object { \"$($_.Settings.Name)|$($_.Settings.Port)|$($_.Settings.Uid)|$($_.Settings.WorkingDirectory)|$($_.Settings.Command)|$($_.Settings.StripPathPrefix)\" }",
            new Dictionary<string, object?> { ["image"] = image }).ShouldSucceed();
        Assert.Equal(new object[] { "Lab|8080|1000|/w|bash|True", "|8888|1001|||False" }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [SkippableFact]
    public void AFieldHoldingPowerShellsNothingIsNull()
    {
        string image = registry.Value.Host + "/team/lab:1.0.0";
        var result = ModuleHost.Run(
            "$fields = [ordered]@{ Image = $image; Port = 8080 }\n" +
            "$fields['Command'] = $(@())\n" +
            "$report = Test-RenkuImageCompliance -Environment ([pscustomobject]$fields)\n" +
            "$null -eq $report.Settings.Command",
            new Dictionary<string, object?> { ["image"] = image }).ShouldSucceed();
        Assert.Equal(new object[] { true }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    /// <summary>Every source of the case's environment, as (Source, Settings) rows.</summary>
    private const string Script = """
        $ErrorActionPreference = 'Stop'
        $psNames = & ([scriptblock]::Create("@{ $fields }"))
        $apiName = @{ Name = 'name'; Port = 'port'; Uid = 'uid'; Gid = 'gid'; DefaultUrl = 'default_url'; WorkingDirectory = 'working_directory'; MountDirectory = 'mount_directory'; Command = 'command'; Args = 'args'; StripPathPrefix = 'strip_path_prefix' }
        $parameterName = @{ Name = 'EnvironmentName'; Args = 'Arguments' }
        $api = @{ container_image = $image }
        $parameters = @{}
        foreach ($key in $psNames.Keys) {
            $api[$apiName[$key]] = $psNames[$key]
            $parameters[$(if ($parameterName[$key]) { $parameterName[$key] } else { $key })] = $psNames[$key]
        }
        $psObject = [pscustomobject]($psNames + @{ Image = $image })
        $withArguments = @{ Image = $image }
        foreach ($key in $psNames.Keys) { $withArguments[$(if ($key -eq 'Args') { 'Arguments' } else { $key })] = $psNames[$key] }
        # As ConvertFrom-Json gives it: note properties, whole numbers as Int64, arrays as object[].
        $jsonFields = [ordered]@{}
        foreach ($key in $api.Keys) { $jsonFields[$key] = if ($api[$key] -is [int]) { [long] $api[$key] } else { , $api[$key] } }
        $json = [pscustomobject]$jsonFields

        function Show($settings) {
            function List($items) { if ($null -eq $items) { '(null)' } else { '[' + (@($items | ForEach-Object { "'$_'" }) -join ',') + ']' } }
            $wd = if ($null -eq $settings.WorkingDirectory) { '(null)' } else { $settings.WorkingDirectory }
            $md = if ($null -eq $settings.MountDirectory) { '(null)' } else { $settings.MountDirectory }
            "name=$($settings.Name) port=$($settings.Port) uid=$($settings.Uid) gid=$($settings.Gid) url=$($settings.DefaultUrl) wd=$wd md=$md " +
                "cmd=$(List $settings.Command) args=$(List $settings.Args) strip=$($settings.StripPathPrefix) default=$($settings.IsRenkuDefault)"
        }
        function Emit($source, $reports) {
            $reports = @($reports)
            if ($reports.Count -ne 1) { throw "$source gave $($reports.Count) reports" }
            [pscustomobject]@{ Source = $source; Settings = Show $reports[0].Settings }
        }

        Emit 'parameters' (Test-RenkuImageCompliance -Image $image @parameters)
        Emit 'pscustomobject with -Environment' (Test-RenkuImageCompliance -Environment $psObject)
        # Also with no fields but the image: such an object is an image to check, never an upgrade row.
        Emit 'pscustomobject piped' ($psObject | Test-RenkuImageCompliance)
        Emit 'Arguments hashtable with -Environment' (Test-RenkuImageCompliance -Environment $withArguments)
        Emit 'API hashtable with -Environment' (Test-RenkuImageCompliance -Environment $api)
        Emit 'API hashtable piped' ($api | Test-RenkuImageCompliance)
        Emit 'JSON object with -Environment' (Test-RenkuImageCompliance -Environment $json)
        Emit 'JSON object piped' ($json | Test-RenkuImageCompliance)
        $row = @($json | Get-RenkuImageUpgrade)
        if ($row.Count -ne 1 -or -not $row[0].CandidateImage) { throw "the upgrade audit gave $($row.Count) rows, candidate '$($row[0].CandidateImage)'" }
        Emit 'upgrade row' ([pscustomobject]@{ Settings = $row[0].Settings })
        Emit 'upgrade candidate check' ($row | Test-RenkuImageCompliance -Candidate)
        Emit 'upgrade row of a hashtable' ([pscustomobject]@{ Settings = @($api | Get-RenkuImageUpgrade)[0].Settings })

        if ($global) {
            $null = ConvertTo-RenkuImageReference x
            $type = [AppDomain]::CurrentDomain.GetAssemblies().Where({ $_.GetName().Name -eq 'Renku.PowerShell.Engine' })[0].GetType('Renku.PowerShell.GlobalEnvironment')
            $environment = [Activator]::CreateInstance($type)
            $type.GetProperty('Image').SetValue($environment, $image)
            $type.GetProperty('Id').SetValue($environment, '01J0000000000000000000000A')
            foreach ($key in $psNames.Keys) {
                $value = $psNames[$key]
                if ($key -in 'Command', 'Args' -and $null -ne $value) { $value = [string[]] @($value) }
                $type.GetProperty($key).SetValue($environment, $value)
            }
            Emit 'global environment with -Environment' (Test-RenkuImageCompliance -Environment $environment)
            Emit 'global environment piped' ($environment | Test-RenkuImageCompliance)
            Emit 'global environment upgrade row' ([pscustomobject]@{ Settings = @($environment | Get-RenkuImageUpgrade)[0].Settings })
        }
        """;
}
