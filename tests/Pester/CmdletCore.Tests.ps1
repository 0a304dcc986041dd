# The cmdlet core on its own: RenkuCmdlet, the PipelineBridge that runs engine work and pumps the
# PipelineQueue, the PipelineWriter that work writes and asks through, and the HashtableRecordBinder.
# The cmdlets are small test-only cmdlets on the core (tests/Pester/TestCmdlets/CoreTestCmdlets.cs,
# with a scripted host for -Confirm in ScriptedHost.cs),
# so nothing here needs Docker, a registry or Renku.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest

    $script:coreSource = Join-Path $PSScriptRoot 'TestCmdlets/CoreTestCmdlets.cs'
    $script:hostSource = Join-Path $PSScriptRoot 'TestCmdlets/ScriptedHost.cs'
    $script:moduleBase = (Get-Module Renku.PowerShell).ModuleBase
    $script:references = @(
        (Join-Path $moduleBase 'Renku.PowerShell.dll'),
        (Join-Path $moduleBase 'dependencies/Renku.PowerShell.Engine.dll'),
        [psobject].Assembly.Location,
        # The scripted host of the confirmation tests.
        'System.Collections',
        'System.Console'
    )
    if (-not ('Renku.PowerShell.TestCmdlets.InvokeCoreWriteCommand' -as [type])) {
        Add-Type -Path $coreSource, $hostSource -ReferencedAssemblies $references -IgnoreWarnings -WarningAction SilentlyContinue
    }

    $script:coreAssembly = [Renku.PowerShell.TestCmdlets.InvokeCoreWriteCommand].Assembly

    # A PowerShell in this process with the module and the test cmdlets, on a host of its own when given.
    function New-CoreShell([System.Management.Automation.Host.PSHost] $WithHost) {
        $state = [initialsessionstate]::CreateDefault2()
        $state.ImportPSModule((Get-Module Renku.PowerShell).Path)
        foreach ($type in $coreAssembly.GetTypes() | Where-Object { $_.IsSubclassOf([System.Management.Automation.Cmdlet]) }) {
            $attribute = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $state.Commands.Add([System.Management.Automation.Runspaces.SessionStateCmdletEntry]::new("$($attribute.VerbName)-$($attribute.NounName)", $type, $null))
        }

        $runspace = if ($WithHost) { [runspacefactory]::CreateRunspace($WithHost, $state) } else { [runspacefactory]::CreateRunspace($state) }
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        $ps
    }

    function Close-CoreShell($Shell) {
        $runspace = $Shell.Runspace
        $Shell.Dispose()
        $runspace.Dispose()
    }

    function Wait-File([string] $Path, [int] $Seconds, $Process) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (Test-Path $Path) -and [DateTime]::UtcNow -lt $deadline -and -not ($Process -and $Process.HasExited)) {
            Start-Sleep -Milliseconds 100
        }

        Test-Path $Path
    }
}

Describe 'PipelineWriter: engine work writes only through its writer' {
    It 'carries objects and every stream from a worker to the pipeline thread (RenkuCmdlet.Run, PipelineBridge, PipelineQueue)' {
        $shell = New-CoreShell
        try {
            $out = $shell.AddScript('$VerbosePreference = "Continue"; $DebugPreference = "Continue"; Invoke-CoreWrite -Count 3').Invoke()
            @($out) | Should -Be @(1, 2, 3)
            $shell.Streams.Verbose.Message | Should -Be 'verbose from a worker: True' -Because 'the work ran on a worker, not on the pipeline thread'
            $shell.Streams.Debug.Message | Should -Be 'debug from a worker'
            $shell.Streams.Warning.Message | Should -Be 'warning from a worker'
            $shell.Streams.Information.MessageData | Should -Be 'information from a worker'
            $shell.Streams.Information.Tags | Should -Contain 'CoreTest'
            $shell.Streams.Error.FullyQualifiedErrorId | Should -Be 'CoreTestError,Renku.PowerShell.TestCmdlets.InvokeCoreWriteCommand'
        }
        finally {
            Close-CoreShell $shell
        }
    }

    It 'shows progress, and completes the progress the work left open when the cmdlet ends' {
        $shell = New-CoreShell
        try {
            $null = $shell.AddScript('Invoke-CoreWrite -Count 2 -LeaveProgressOpen').Invoke()
            $records = @($shell.Streams.Progress | Where-Object ActivityId -EQ 0x434f)
            $records.Count | Should -Be 3 -Because 'two from the work, one completion from the core'
            $records[0].StatusDescription | Should -Be '1 of 2'
            $records[-1].RecordType | Should -Be 'Completed'

            $shell.Commands.Clear()
            $shell.Streams.ClearStreams()
            $null = $shell.AddScript('Invoke-CoreWrite -Count 2').Invoke()
            $records = @($shell.Streams.Progress | Where-Object ActivityId -EQ 0x434f)
            @($records | Where-Object RecordType -EQ 'Completed').Count | Should -Be 1 -Because 'progress the work completed itself is not completed again'
        }
        finally {
            Close-CoreShell $shell
        }
    }
}

Describe 'PipelineWriter.ShouldProcess: questions from a worker, answered on the pipeline thread' {
    It 'processes nothing under -WhatIf' {
        $shell = New-CoreShell
        try {
            $out = $shell.AddScript('Invoke-CoreShouldProcess a, b -WhatIf').Invoke()
            @($out).Count | Should -Be 0
        }
        finally {
            Close-CoreShell $shell
        }
    }

    It 'asks at -Confirm, and the answers decide' {
        $answers = [Renku.PowerShell.TestCmdlets.ScriptedHost]::new([int[]](0, 2))  # Yes, then No
        $shell = New-CoreShell -WithHost $answers
        try {
            $out = $shell.AddScript('Invoke-CoreShouldProcess a, b -Confirm').Invoke()
            @($out) | Should -Be @('a')
            $answers.Prompts | Should -Be 2
        }
        finally {
            Close-CoreShell $shell
        }
    }

    It 'skips the prompt with -Force (ShouldProcessUnlessForced), never -WhatIf or an explicit -Confirm' {
        $answers = [Renku.PowerShell.TestCmdlets.ScriptedHost]::new([int[]](2, 2, 0, 2))
        $shell = New-CoreShell -WithHost $answers
        try {
            $out = $shell.AddScript('$ConfirmPreference = "Low"; Invoke-CoreShouldProcess a, b').Invoke()
            @($out).Count | Should -Be 0 -Because 'the user answered no twice'
            $answers.Prompts | Should -Be 2

            $shell.Commands.Clear()
            $out = $shell.AddScript('$ConfirmPreference = "Low"; Invoke-CoreShouldProcess a, b -Force').Invoke()
            @($out) | Should -Be @('a', 'b')
            $answers.Prompts | Should -Be 2 -Because '-Force asks nothing'

            $shell.Commands.Clear()
            $out = $shell.AddScript('Invoke-CoreShouldProcess a, b -Force -WhatIf').Invoke()
            @($out).Count | Should -Be 0

            $shell.Commands.Clear()
            $out = $shell.AddScript('Invoke-CoreShouldProcess a, b -Force -Confirm').Invoke()
            @($out) | Should -Be @('a')
            $answers.Prompts | Should -Be 4 -Because 'an explicit -Confirm asks, -Force or not'
        }
        finally {
            Close-CoreShell $shell
        }
    }
}

Describe 'Errors from a worker (PipelineWriter.WriteError, PipelineWriter.ThrowTerminatingError)' {
    It 'writes a non-terminating error, and the work goes on' {
        $shell = New-CoreShell
        try {
            $out = $shell.AddScript('Invoke-CoreFailure').Invoke()
            @($out) | Should -Be @('after the error', 'returned')
            $shell.Streams.Error.FullyQualifiedErrorId | Should -Be 'CoreTestNonTerminating,Renku.PowerShell.TestCmdlets.InvokeCoreFailureCommand'
        }
        finally {
            Close-CoreShell $shell
        }
    }

    It 'ends the cmdlet with a terminating error raised on the pipeline thread' {
        $shell = New-CoreShell
        try {
            $out = @($shell.AddScript('try { Invoke-CoreFailure -Terminate } catch { $_ }').Invoke())
            $out[0] | Should -Be 'after the error'
            $out.Count | Should -Be 2 -Because 'the work ended at the terminating error and returned nothing'
            $out[1].FullyQualifiedErrorId | Should -Be 'CoreTestTerminating,Renku.PowerShell.TestCmdlets.InvokeCoreFailureCommand'
            $out[1].Exception.Message | Should -Be 'the work gave up'
        }
        finally {
            Close-CoreShell $shell
        }
    }
}

Describe 'A stop (PipelineBridge): the work is cancelled, its cleanup awaited within the bound' {
    It 'lets nothing the work writes after the stop reach the pipeline, and answers its questions no' {
        $started = Join-Path $TestDrive 'after-started'
        $report = Join-Path $TestDrive 'after-report'
        $shell = New-CoreShell
        try {
            $null = $shell.AddCommand('Invoke-CoreAfterStop').AddParameters(@{ StartedFile = $started; ReportFile = $report })
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
            Wait-File $started 30 | Should -BeTrue -Because 'the work starts'
            $shell.Stop()
            $written = $output.Count
            Wait-File $report 10 | Should -BeTrue -Because 'the work goes on after the stop and reports what it saw'
            Start-Sleep -Milliseconds 300
            $output.Count | Should -Be $written -Because 'writes after a stop are refused'
            $output | Should -Not -Contain -1
            $shell.Streams.Warning.Message | Should -Not -Contain 'written after the stop'
            Get-Content $report | Should -Be 'False' -Because 'a question after a stop is answered no'
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            Close-CoreShell $shell
        }
    }

    It 'stops the work when Select-Object -First 1 downstream has what it needs, and its cleanup ran when the pipeline returns' {
        $cleanup = Join-Path $TestDrive 'first-cleanup'
        $shell = New-CoreShell
        try {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $out = $shell.AddScript("Invoke-CoreWrite -Count 1000 -DelayMilliseconds 20 -CleanupFile '$cleanup' 3>`$null | Select-Object -First 1").Invoke()
            $clock.Stop()
            @($out) | Should -Be @(1)
            Test-Path $cleanup | Should -BeTrue -Because 'the core waits for the cancelled work to clean up before the pipeline returns'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'the 1000 writes would take 20 s'
        }
        finally {
            Close-CoreShell $shell
        }
    }

    It 'runs the cleanup when pwsh is sent SIGTERM, before it exits' {
        $started = Join-Path $TestDrive 'term-started'
        $cleanup = Join-Path $TestDrive 'term-cleanup'
        $referenceList = ($references | ForEach-Object { "'$_'" }) -join ','
        $command = @"
Import-Module '$(Get-StagedModulePath)'
Add-Type -Path '$coreSource' -ReferencedAssemblies $referenceList -IgnoreWarnings -WarningAction SilentlyContinue
Import-Module ([Renku.PowerShell.TestCmdlets.InvokeCoreCleanupCommand].Assembly)
Invoke-CoreCleanup -StartedFile '$started' -CleanupFile '$cleanup'
"@
        $child = Start-ChildPwsh -Command $command
        try {
            $isRunning = Wait-File $started 90 $child.Process
            $why = if ($child.Process.HasExited) { "the child ended early: $($child.Output.Result) $($child.Errors.Result)" } else { 'the work starts' }
            $isRunning | Should -BeTrue -Because $why
            Test-Path $cleanup | Should -BeFalse
            kill -s TERM $child.Process.Id
            $child.Process.WaitForExit(30000) | Should -BeTrue -Because 'SIGTERM ends pwsh once the cleanup ran'
        }
        finally {
            if (-not $child.Process.HasExited) { $child.Process.Kill($true) }
        }

        Test-Path $cleanup | Should -BeTrue -Because 'the work was cancelled and its cleanup awaited before the process ended'
    }
}

Describe 'HashtableRecordBinder: a piped hashtable binds by key' {
    It 'binds keys by name or alias in any case, and undoes each record before the next' {
        $shell = New-CoreShell
        try {
            $out = $shell.AddScript('@{ name = "a"; SIZE = 2 }, @{ container_name = "b" }, [ordered]@{ Size = "3" } | Test-CoreRecord').Invoke()
            @($out) | Should -Be @('a:2', 'b:-1', '(none):3')
        }
        finally {
            Close-CoreShell $shell
        }
    }

    It 'leaves what the command line gave' {
        $shell = New-CoreShell
        try {
            $out = $shell.AddScript('@{ Name = "a"; Size = 2 }, @{ Name = "b" } | Test-CoreRecord -Size 7').Invoke()
            @($out) | Should -Be @('a:7', 'b:7')
        }
        finally {
            Close-CoreShell $shell
        }
    }

    It 'refuses a value that does not convert, naming the key, and goes on with the next record' {
        $shell = New-CoreShell
        try {
            $out = $shell.AddScript('@{ Name = "a"; Size = "many" }, @{ Name = "b" } | Test-CoreRecord').Invoke()
            @($out) | Should -Be @('b:-1')
            $shell.Streams.Error.FullyQualifiedErrorId | Should -Be 'InvalidPipelineInput,Renku.PowerShell.TestCmdlets.TestCoreRecordCommand'
            $shell.Streams.Error.ErrorDetails.Message | Should -Match "'Size' \(many\) cannot be -Size"
        }
        finally {
            Close-CoreShell $shell
        }
    }
}

Describe 'RenkuApiCmdlet: the cmdlets that talk to Renku' {
    It 'declare -Connection as a static parameter, and only they' {
        $api = @(Get-Command -Module Renku.PowerShell -CommandType Cmdlet | Where-Object { $_.ImplementingType.IsSubclassOf([Renku.PowerShell.Commands.Core.RenkuApiCmdlet]) })
        $api.Count | Should -Be 11
        foreach ($command in $api) {
            $command.Parameters['Connection'].IsDynamic | Should -BeFalse -Because "$($command.Name) shows -Connection in its syntax"
            $command.Parameters['Connection'].ParameterType | Should -Be ([Renku.PowerShell.RenkuConnection])
        }

        $others = Get-Command -Module Renku.PowerShell -CommandType Cmdlet | Where-Object { $_.ImplementingType -notin $api.ImplementingType -and $_.Name -notin 'Connect-RenkuInstance', 'Disconnect-RenkuInstance' }  # -Connection is what these connect and close
        $others | Where-Object { $_.Parameters.ContainsKey('Connection') } | Should -BeNullOrEmpty
    }

    It 'refuse -Connection $null instead of using the current connection' {
        { Get-RenkuGlobalEnvironment -Connection $null -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Renku.PowerShell.Commands.Environments.GetRenkuGlobalEnvironmentCommand'
    }
}
