# What a stop (Ctrl+C, PowerShell.Stop, a pipeline that stops) does to any cmdlet of the module:
# it returns within the cmdlet core's cleanup bound, always. The work here is a test-only cmdlet on
# the same core (tests/Pester/TestCmdlets) whose engine work ignores cancellation, as a stuck call
# or a cleanup that hangs does.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest

    $script:stubbornSource = Join-Path $PSScriptRoot 'TestCmdlets/InvokeStubbornWorkCommand.cs'
    $script:moduleBase = (Get-Module Renku.PowerShell).ModuleBase
    $script:references = @(
        (Join-Path $moduleBase 'Renku.PowerShell.dll'),
        (Join-Path $moduleBase 'dependencies/Renku.PowerShell.Engine.dll'),
        [psobject].Assembly.Location
    )

    function Wait-File([string] $Path, [int] $Seconds, $Process) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (Test-Path $Path) -and [DateTime]::UtcNow -lt $deadline -and -not ($Process -and $Process.HasExited)) {
            Start-Sleep -Milliseconds 100
        }

        Test-Path $Path
    }
}

Describe 'A stop whose cleanup outlasts the bound' {
    It 'returns at Ctrl+C within the bound and warns what is left, though the work ignores cancellation' {
        $started = Join-Path $TestDrive 'ctrlc-started'
        $ended = Join-Path $TestDrive 'ctrlc-ended'
        $referenceList = ($references | ForEach-Object { "'$_'" }) -join ','
        $command = @"
Import-Module '$(Get-StagedModulePath)'
Add-Type -Path '$stubbornSource' -ReferencedAssemblies $referenceList -IgnoreWarnings -WarningAction SilentlyContinue
Import-Module ([Renku.PowerShell.TestCmdlets.InvokeStubbornWorkCommand].Assembly)
Invoke-StubbornWork -Duration 00:01:00 -CleanupBoundOverride 00:00:02 -Leftover 'container renku-check-stubborn (docker rm -f renku-check-stubborn)' -StartedFile '$started' -EndedFile '$ended'
"@
        $child = Start-ChildPwsh -Interruptible -Command $command
        try {
            $isRunning = Wait-File $started 90 $child.Process
            $why = if ($child.Process.HasExited) { "the child ended early: $($child.Output.Result) $($child.Errors.Result)" } else { 'the work starts' }
            $isRunning | Should -BeTrue -Because $why
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            kill -s INT $child.Process.Id
            $exited = $child.Process.WaitForExit(30000)
            $clock.Stop()
            $exited | Should -BeTrue -Because 'a stop never waits for work that ignores it'
        }
        finally {
            if (-not $child.Process.HasExited) { $child.Process.Kill($true) }
        }

        $clock.Elapsed.TotalSeconds | Should -BeLessThan 7 -Because 'the bound is 2 s (plus the exit of pwsh), far below the 60 s the work would take'
        Test-Path $ended | Should -BeFalse -Because 'the work had not ended when the cmdlet returned'
        $said = $child.Output.Result + $child.Errors.Result
        $said | Should -Match 'Invoke-StubbornWork was stopped and could not remove within 2 s: container renku-check-stubborn'
    }

    It 'returns from PowerShell.Stop() within the bound and lets the work end in the background' {
        if (-not ('Renku.PowerShell.TestCmdlets.InvokeStubbornWorkCommand' -as [type])) {
            Add-Type -Path $stubbornSource -ReferencedAssemblies $references -IgnoreWarnings -WarningAction SilentlyContinue
        }

        $started = Join-Path $TestDrive 'stop-started'
        $ended = Join-Path $TestDrive 'stop-ended'
        $state = [initialsessionstate]::CreateDefault2()
        $state.ImportPSModule((Get-Module Renku.PowerShell).Path)
        $state.Commands.Add([System.Management.Automation.Runspaces.SessionStateCmdletEntry]::new('Invoke-StubbornWork', [Renku.PowerShell.TestCmdlets.InvokeStubbornWorkCommand], $null))
        $runspace = [runspacefactory]::CreateRunspace($state)
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        try {
            $null = $ps.AddCommand('Invoke-StubbornWork').AddParameters(@{
                    Duration             = [TimeSpan]::FromSeconds(8)
                    CleanupBoundOverride = [TimeSpan]::FromSeconds(1)
                    Leftover             = 'volume renku-check-stubborn'
                    StartedFile          = $started
                    EndedFile            = $ended
                })
            $async = $ps.BeginInvoke()
            Wait-File $started 30 | Should -BeTrue -Because 'the work starts'
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4 -Because 'Stop returns after the 1 s bound, not after the 8 s the work takes'
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Test-Path $ended | Should -BeFalse -Because 'the work goes on after the stop returned'
            Wait-File $ended 30 | Should -BeTrue -Because 'the work goes on in the background until it ends'
        }
        finally {
            $ps.Dispose()
            $runspace.Dispose()
        }
    }
}
