# Shared by the Pester files: the staged module under test, the real parts the suite starts and
# stops itself (tests/Parts), and child pwsh processes. Imported in each file's BeforeAll.
Set-StrictMode -Version Latest

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-RepositoryRoot {
    $script:RepositoryRoot
}

function Get-StagedModulePath {
    # The folder that holds <version>/Renku.PowerShell.psd1, as `dotnet build` stages it.
    $path = Join-Path $script:RepositoryRoot 'out/Renku.PowerShell'
    if (-not (Get-ChildItem -Path $path -Filter 'Renku.PowerShell.psd1' -Recurse -ErrorAction SilentlyContinue)) {
        throw "The module is not staged in $path; run 'dotnet build Renku.PowerShell.sln' first."
    }

    $path
}

function Import-ModuleUnderTest {
    Import-Module (Get-StagedModulePath) -Force -Global -ErrorAction Stop
}

function Test-InCi {
    $env:CI -eq 'true' -or $env:CI -eq '1'
}

function Start-TestPart {
    <#
    .SYNOPSIS
    Starts the named parts in one process of tests/Parts and returns their addresses.
    A part that cannot start is listed under Missing with the reason; see Assert-TestPart.
    #>
    param(
        [Parameter(Mandatory)]
        [ValidateSet('registry', 'docker', 'renku', 'kubernetes', 'dockerhost', 'dockerbridge', 'podman')]
        [string[]] $Name
    )

    $bin = Join-Path $script:RepositoryRoot 'tests/Parts/Renku.PowerShell.TestParts/bin'
    $dll = Get-ChildItem -Path $bin -Recurse -Filter 'Renku.PowerShell.TestParts.dll' -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -eq 'net10.0' } | Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) {
        throw "The test parts are not built in $bin; run 'dotnet build Renku.PowerShell.sln' first."
    }

    $logs = Join-Path $script:RepositoryRoot 'out/test-logs'
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll.FullName, '--parts', ($Name -join ','), '--logs', $logs)) {
        $info.ArgumentList.Add($argument)
    }

    # Its standard input is the stop signal: closed by Stop-TestPart, or by the system when this process dies.
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromMinutes(4))) {
        $process.Kill($true)
        throw "The test parts ($($Name -join ', ')) did not answer within 4 minutes; see $logs."
    }

    if (-not $line.Result) {
        $process.WaitForExit(10000) | Out-Null
        throw "The test parts process exited ($($process.ExitCode)) before it answered; see $logs."
    }

    $answer = $line.Result | ConvertFrom-Json
    [pscustomobject]@{
        Process    = $process
        Logs       = $answer.logs
        Missing    = $answer.missing
        Registry   = $answer.PSObject.Properties['registry']?.Value
        Docker     = $answer.PSObject.Properties['docker']?.Value
        Renku      = $answer.PSObject.Properties['renku']?.Value
        Kubernetes = $answer.PSObject.Properties['kubernetes']?.Value
        # More container engines: host network only, default bridge only, podman's Docker API.
        DockerHost   = $answer.PSObject.Properties['dockerhost']?.Value
        DockerBridge = $answer.PSObject.Properties['dockerbridge']?.Value
        Podman       = $answer.PSObject.Properties['podman']?.Value
    }
}

function Stop-TestPart {
    param([Parameter(Mandatory)] [AllowNull()] $Parts)

    if (-not $Parts -or $Parts.Process.HasExited) {
        return
    }

    $Parts.Process.StandardInput.Close()
    if (-not $Parts.Process.WaitForExit(60000)) {
        $Parts.Process.Kill($true)
    }
}

function Assert-TestPart {
    <#
    .SYNOPSIS
    Called first in an It: skips the test when a part it needs is missing, or fails it, naming the
    part, under CI=true.
    #>
    param(
        [Parameter(Mandatory)] $Parts,
        [Parameter(Mandatory)] [string] $Name
    )

    $reason = $Parts.Missing.PSObject.Properties[$Name]?.Value
    $started = $Parts.PSObject.Properties[$Name]?.Value
    if ($started -and -not $reason) {
        return
    }

    if (-not $reason) {
        $reason = 'it was not asked for in Start-TestPart'
    }

    if (Test-InCi) {
        throw "CI=true and the part '$Name' is missing: $reason"
    }

    Set-ItResult -Skipped -Because "the part '$Name' is missing: $reason"
}

function Get-PwshCommand {
    # The pwsh that runs this suite, as a command line: the apphost, or dotnet plus pwsh.dll (the .NET tool).
    $executable = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') {
        @($executable, (Join-Path $PSHOME 'pwsh.dll'))
    }
    else {
        @($executable)
    }
}

function Start-ChildPwsh {
    <#
    .SYNOPSIS
    Starts a fresh pwsh (the same version as this one) running -Command, with its output captured.
    #>
    param(
        [Parameter(Mandatory)] [string] $Command,
        [hashtable] $Environment = @{},
        # Ctrl+C (SIGINT) reaches the child even when this process was started with SIGINT
        # ignored (as background jobs of a non-interactive shell are): env resets it first.
        [switch] $Interruptible
    )

    $pwsh = Get-PwshCommand
    if ($Interruptible) {
        $pwsh = @('env', '--default-signal=INT') + $pwsh
    }

    $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)) {
        $info.ArgumentList.Add($argument)
    }

    foreach ($key in $Environment.Keys) {
        $info.Environment[$key] = [string]$Environment[$key]
    }

    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    [pscustomobject]@{
        Process = $process
        Output  = $process.StandardOutput.ReadToEndAsync()
        Errors  = $process.StandardError.ReadToEndAsync()
    }
}

function Wait-ChildPwsh {
    <#
    .SYNOPSIS
    Waits (bounded) for a child pwsh; returns its exit code, output and errors, or throws on a time-out.
    #>
    param(
        [Parameter(Mandatory)] $Child,
        [TimeSpan] $Timeout = [TimeSpan]::FromMinutes(3)
    )

    if (-not $Child.Process.WaitForExit([int]$Timeout.TotalMilliseconds)) {
        $Child.Process.Kill($true)
        throw "The child pwsh did not finish within $Timeout."
    }

    $Child.Process.WaitForExit()
    [pscustomobject]@{
        ExitCode = $Child.Process.ExitCode
        Output   = $Child.Output.Result
        Errors   = $Child.Errors.Result
    }
}

function Invoke-ChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $Command,
        [hashtable] $Environment = @{},
        [TimeSpan] $Timeout = [TimeSpan]::FromMinutes(3)
    )

    Wait-ChildPwsh -Child (Start-ChildPwsh -Command $Command -Environment $Environment) -Timeout $Timeout
}

function Get-NuGetPackageRoot {
    # Where NuGet keeps restored packages (the test command restores everything the suite reads).
    if ($env:NUGET_PACKAGES) {
        return $env:NUGET_PACKAGES
    }

    ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
}

function Get-FreePort {
    # A free TCP port. A session check on an engine that gives only the host's network needs a
    # port nothing else on the machine listens on (elsewhere it may be taken: the check's own
    # network keeps it apart). -Pair: P + 1 is free too, for
    # the test images that listen on the session port + 1 (a taken P + 1 would make them exit).
    # The xunit suites' allocator (FreePort in the test support assembly, which the test parts
    # carry): ports from below the ephemeral range, reserved by lock files while this process lives.
    param([switch] $Pair)
    if (-not ('Renku.PowerShell.TestSupport.FreePort' -as [type])) {
        $bin = Join-Path $script:RepositoryRoot 'tests/Parts/Renku.PowerShell.TestParts/bin'
        $dll = Get-ChildItem -Path $bin -Recurse -Filter 'Renku.PowerShell.TestSupport.dll' -ErrorAction SilentlyContinue |
            Where-Object { $_.Directory.Name -eq 'net10.0' } | Sort-Object LastWriteTime -Descending | Select-Object -First 1
        if (-not $dll) {
            throw "The test parts are not built in $bin; run 'dotnet build Renku.PowerShell.sln' first."
        }

        Add-Type -Path $dll.FullName
    }

    if ($Pair) {
        [Renku.PowerShell.TestSupport.FreePort]::NextPair()
    }
    else {
        [Renku.PowerShell.TestSupport.FreePort]::Next()
    }
}

function Get-RenkuTestToken {
    # An access token from the fake Keycloak for one of its users, as a SecureString.
    param(
        [Parameter(Mandatory)] $Parts,
        [string] $User = 'admin'
    )

    $answer = Invoke-RestMethod -Method Post -Uri "$($Parts.Renku.uri)_test/token?user=$User"
    ConvertTo-SecureString $answer.access_token -AsPlainText -Force
}

function Get-RenkuTestState {
    # The fake Renku data API's own account of what it was sent: writes, contract violations.
    param([Parameter(Mandatory)] $Parts)

    Invoke-RestMethod -Uri "$($Parts.Renku.uri)_test/state"
}

Export-ModuleMember -Function Get-FreePort, Get-NuGetPackageRoot, Get-RenkuTestToken, Get-RenkuTestState, Get-RepositoryRoot, Get-StagedModulePath, Import-ModuleUnderTest, Test-InCi, Start-TestPart, Stop-TestPart, Assert-TestPart, Get-PwshCommand, Start-ChildPwsh, Wait-ChildPwsh, Invoke-ChildPwsh
