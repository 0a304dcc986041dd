<#
.SYNOPSIS
How soon the first report of several session checks arrives: one check alone, then three checks
piped to Select-Object -First 1 at -ThrottleLimit 1 and at -ThrottleLimit 3.

.DESCRIPTION
Runs in the pwsh that runs it, with the staged module of this checkout. Needs a Docker engine that
holds a session image which passes the session check (e.g. one of the test suite's busybox session
images). Each session check of a round gets a port of its own (the engine may use the host
network). Prints the median of the rounds for each case and its ratio to one check alone.

.EXAMPLE
dotnet pwsh bench/streaming/Measure-FirstResult.ps1 -Image renku-ps-bench/session-compliant:1 -DockerHost unix:///tmp/renku-ps-test-docker/docker.sock -Rounds 3
#>
param(
    [Parameter(Mandatory)] [string] $Image,
    [Parameter(Mandatory)] [string] $DockerHost,
    [int] $Rounds = 3,
    [int] $FirstPort = 40100,
    [TimeSpan] $ProbeTimeout = [TimeSpan]::FromSeconds(30),
    # Another staged module (a copy of out/Renku.PowerShell), to compare builds.
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module ($ModulePath ? $ModulePath : (Join-Path $root 'out/Renku.PowerShell')) -Force

function Get-Environment([int] $Round) {
    # Three environments of the same image, each on its own port.
    0..2 | ForEach-Object { [pscustomobject]@{ Image = $Image; Port = $FirstPort + 10 * $Round + $_ } }
}

function Measure-Seconds([scriptblock] $Action) {
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $result = & $Action
    $clock.Stop()
    if (-not $result) { throw 'No report came back.' }
    [Math]::Round($clock.Elapsed.TotalSeconds, 2)
}

$common = @{ Source = 'Docker'; Runtime = 'Docker'; DockerHost = $DockerHost; ProbeTimeout = $ProbeTimeout }
$rows = foreach ($round in 1..$Rounds) {
    $environments = Get-Environment $round
    [pscustomobject]@{
        Round     = $round
        One       = Measure-Seconds { $environments[0] | Test-RenkuImageCompliance @common }
        FirstOf3T1 = Measure-Seconds { $environments | Test-RenkuImageCompliance @common -ThrottleLimit 1 | Select-Object -First 1 }
        FirstOf3T3 = Measure-Seconds { $environments | Test-RenkuImageCompliance @common -ThrottleLimit 3 | Select-Object -First 1 }
        AllOf3T1  = Measure-Seconds { $environments | Test-RenkuImageCompliance @common -ThrottleLimit 1 }
    }
}

$rows | Format-Table -AutoSize | Out-String | Write-Host
function Get-Median([double[]] $Values) { $sorted = $Values | Sort-Object; $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)] }
$one = Get-Median $rows.One
foreach ($case in 'One', 'FirstOf3T1', 'FirstOf3T3', 'AllOf3T1') {
    $median = Get-Median $rows.$case
    [pscustomobject]@{ Case = $case; MedianSeconds = $median; RatioToOne = [Math]::Round($median / $one, 2) }
}
