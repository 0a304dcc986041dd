# The README's first command, as a newcomer runs it on a fresh clone with no network: it builds the
# module, starts pwsh with it and checks the example session image the build writes.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    $command = 'dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo'
    $info = [System.Diagnostics.ProcessStartInfo]::new('bash')
    foreach ($argument in '-c', $command) { $info.ArgumentList.Add($argument) }
    $info.WorkingDirectory = Get-RepositoryRoot
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $output = $process.StandardOutput.ReadToEndAsync()
    $errors = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit(600000)) {
        $process.Kill($true)
        throw "'$command' did not finish within 10 minutes."
    }

    $process.WaitForExit()
    # What a newcomer reads, without the colours pwsh adds.
    $demo = [pscustomobject]@{ ExitCode = $process.ExitCode; Raw = $output.Result; Output = $output.Result -replace "`e\[[0-9;]*m", ''; Errors = $errors.Result }
}

Describe 'The README''s demo command' {
    It 'is the one the README shows, with what it shows and why it fails' {
        $readme = Get-Content -Raw (Join-Path (Get-RepositoryRoot) 'README.md')
        $readme | Should -Match ([regex]::Escape($command))
        $readme | Should -Match 'fails on purpose'
    }

    It 'succeeds' {
        $demo.ExitCode | Should -Be 0 -Because "$($demo.Errors)$($demo.Output)"
    }

    It 'shows the example image as Get-RenkuImage reads it' {
        $demo.Output | Should -Match 'Reference\s+:\s+docker\.io/renku-example/python-lab:latest'
        $demo.Output | Should -Match 'User\s+:\s+renku\(1000\):renku\(1000\)'
        $demo.Output | Should -Match 'OsPrettyName\s+:\s+Ubuntu 24\.04 LTS'
    }

    It 'shows the compliance report with the failing rule and why' {
        $demo.Output | Should -Match 'docker\.io/renku-example/python-lab:latest\s+Failed\s+1\s+RKC012'
        $demo.Output | Should -Match 'RKC012\s+Error\s+Fail\s'
        $demo.Output | Should -Match 'RKC001\s+Error\s+Pass\s'
        $demo.Output | Should -Match 'The check fails, on purpose: the example is tagged latest \(RKC012\)'
    }

    It 'has no escape codes when its output is redirected, and no line wider than 120 columns' {
        $demo.Raw | Should -Not -Match "`e\[" -Because '$PSStyle.OutputRendering is PlainText when the output is not a terminal'
        $shown = $demo.Raw.Substring([Math]::Max(0, $demo.Raw.IndexOf('The build wrote an example session image')))
        $shown | Should -Match 'The build wrote'
        $shown -split "\r?\n" | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty -Because 'the demo reads well at 120 columns'
    }
}
