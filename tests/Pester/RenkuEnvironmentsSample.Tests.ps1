# The environments-as-code sample (samples/renku-environments.ps1) end to end: its three stages in a
# fresh pwsh each, against a local bare git remote, the suite's registry and the fake Renku. With no
# platform to reach, the scheduled stage writes the pull request it would open to a file. The
# workflow files of the sample are parsed by their platforms' own parsers (npm packages).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry, renku
    $root = Get-RepositoryRoot
    $script = Join-Path $root 'samples/renku-environments.ps1'
    $modulePath = Get-StagedModulePath

    function Invoke-Stage {
        param([string] $Directory, [string] $Arguments, [hashtable] $Environment = @{})
        # No CI platform is reachable from here: the stage must not take this run for one.
        $environment = @{ GITHUB_ACTIONS = ''; TF_BUILD = ''; GITHUB_STEP_SUMMARY = '' } + $Environment
        $command = "Set-Location -LiteralPath '$Directory'; & '$script' -ModulePath '$modulePath' $Arguments"
        Invoke-ChildPwsh -Command $command -Environment $environment -Timeout ([TimeSpan]::FromMinutes(4))
    }

    function Invoke-TestGit {
        param([string] $Directory)
        $output = & git -C $Directory -c user.name=test -c user.email=test@localhost @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "git $($args -join ' ') failed: $output" }
        $output
    }
}

AfterAll {
    Disconnect-RenkuInstance -ErrorAction SilentlyContinue
    Stop-TestPart $parts
}

Describe 'The environments-as-code sample' {
    BeforeEach {
        Assert-TestPart $parts registry
        Assert-TestPart $parts renku
        if (-not (Get-Command git -ErrorAction SilentlyContinue)) {
            if (Test-InCi) { throw 'git is needed by this test and is not installed.' }
            Set-ItResult -Skipped -Because 'git is not installed'
        }
    }

    It 'opens a pull request with exactly the passing tag changes, validates it, and applies it on merge' {
        $lab = $parts.Registry.images.lab
        $gated = $parts.Registry.images.gated
        $remote = Join-Path $TestDrive 'remote.git'
        $work = Join-Path $TestDrive 'work'
        Invoke-TestGit $TestDrive init --quiet --bare --initial-branch=main $remote | Out-Null
        Invoke-TestGit $TestDrive clone --quiet $remote $work | Out-Null
        Invoke-TestGit $work checkout --quiet -B main | Out-Null

        $original = @(
            '# Global environments of the lab: edit here, review as a pull request, the pipeline syncs.'
            'environments:'
            '  - name: Sample Lab'
            "    container_image: '$($lab):1.0.0'   # moves to 1.1.0"
            '    port: 8888'
            '  - name: Sample Gated'
            "    container_image: $($gated):1.0.0"
            '    description: its next release runs as root'
            ''
        ) -join "`n"
        $file = Join-Path $work 'environments.yaml'
        [IO.File]::WriteAllText($file, $original)
        Invoke-TestGit $work add environments.yaml | Out-Null
        Invoke-TestGit $work commit --quiet -m 'environments' | Out-Null
        Invoke-TestGit $work push --quiet origin main | Out-Null

        # The platform starts as the file says.
        $token = Get-RenkuTestToken $parts
        Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken $token | Out-Null
        Sync-RenkuGlobalEnvironment -Path $file -Confirm:$false | Out-Null
        $plainToken = [System.Net.NetworkCredential]::new('', $token).Password
        $renkuEnvironment = @{ RENKU_URI = $parts.Renku.uri; RENKU_TOKEN = $plainToken }

        # Scheduled: audit, gate, update, commit to a branch, push, "open" the pull request.
        $request = Join-Path $TestDrive 'pull-request.json'
        $scheduled = Invoke-Stage $work "-Stage Scheduled -PullRequestPath '$request'"
        $scheduled.ExitCode | Should -Be 0 -Because $scheduled.Errors
        $expected = $original.Replace("$($lab):1.0.0", "$($lab):1.1.0")
        (Invoke-TestGit $remote show 'renku/image-upgrades:environments.yaml') -join "`n" | Should -Be $expected.TrimEnd("`n")
        $diff = @(Invoke-TestGit $remote diff --unified=0 main renku/image-upgrades | Where-Object { $_ -match '^[-+][^-+]' })
        $diff | Should -Be @("-    container_image: '$($lab):1.0.0'   # moves to 1.1.0", "+    container_image: '$($lab):1.1.0'   # moves to 1.1.0")
        $pr = Get-Content -Raw $request | ConvertFrom-Json
        $pr.head | Should -Be 'renku/image-upgrades'
        $pr.base | Should -Be 'main'
        $pr.body | Should -Match ([regex]::Escape("| Sample Lab | [4](environments.yaml#L4) | ``$($lab):1.0.0`` | ``$($lab):1.1.0`` |"))
        $pr.body | Should -Match 'Failed gates'
        $pr.body | Should -Match ([regex]::Escape("| Sample Gated | ``$($gated):1.1.0`` | RKC"))
        (Invoke-TestGit $work status --porcelain) | Should -BeNullOrEmpty -Because 'the stage leaves no stray files in the repository'

        # Pull request: validate the branch's file and show the sync plan as the summary.
        $summary = Join-Path $TestDrive 'pr-summary.md'
        $validate = Invoke-Stage $work "-Stage PullRequest -SummaryPath '$summary'" $renkuEnvironment
        $validate.ExitCode | Should -Be 0 -Because $validate.Errors
        $plan = Get-Content -Raw $summary
        $plan | Should -Match ([regex]::Escape("| Sample Lab | Update | ``container_image: '$($lab):1.0.0' -> '$($lab):1.1.0'``"))
        $plan | Should -Match '\| Sample Gated \| Unchanged \|'
        (Get-RenkuTestState $parts).writes | Should -Be 2 -Because 'the pull request stage sends nothing (the two writes are the initial sync)'

        # A broken file: every problem at once, and the stage fails.
        Invoke-TestGit $work checkout --quiet -b broken | Out-Null
        [IO.File]::WriteAllText($file, $expected.Replace('port: 8888', 'port: 70000').Replace("$($gated):1.0.0", 'Not An Image'))
        $broken = Invoke-Stage $work "-Stage PullRequest -SummaryPath '$summary'" $renkuEnvironment
        $broken.ExitCode | Should -Not -Be 0
        $broken.Errors + $broken.Output | Should -Match 'problem' -Because 'the stage fails on the file''s problems, not on anything else'
        $problems = Get-Content -Raw $summary
        $problems | Should -Match 'port' -Because $broken.Errors
        $problems | Should -Match 'container_image'
        Invoke-TestGit $work checkout --quiet -- environments.yaml | Out-Null
        Invoke-TestGit $work checkout --quiet renku/image-upgrades | Out-Null

        # Main: refused without the explicit confirmation, then the merge is applied.
        $unconfirmed = Invoke-Stage $work '-Stage Main' $renkuEnvironment
        $unconfirmed.ExitCode | Should -Not -Be 0
        Invoke-TestGit $work checkout --quiet main | Out-Null
        Invoke-TestGit $work merge --quiet --ff-only renku/image-upgrades | Out-Null
        Invoke-TestGit $work push --quiet origin main | Out-Null
        $apply = Invoke-Stage $work '-Stage Main -Apply' $renkuEnvironment
        $apply.ExitCode | Should -Be 0 -Because $apply.Errors

        $platform = Get-RenkuGlobalEnvironment | Where-Object Name -like 'Sample *' | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Image)" }
        $platform | Should -Be @("Sample Gated=$($gated):1.0.0", "Sample Lab=$($lab):1.1.0")
        $again = Sync-RenkuGlobalEnvironment -Path $file -WhatIf
        @($again | Where-Object Action -ne 'Unchanged') | Should -BeNullOrEmpty -Because 'after the merge stage the platform equals the file'
        $apply.Output | Should -Not -Match ([regex]::Escape($plainToken))
    }
}

Describe 'The sample pipelines' {
    It 'parse with GitHub''s and Azure Pipelines'' own parsers' {
        $node = Get-Command node -ErrorAction SilentlyContinue
        $npm = Get-Command npm -ErrorAction SilentlyContinue
        if (-not $node -or -not $npm) {
            if (Test-InCi) { throw 'node and npm are needed to parse the sample pipelines and are not installed.' }
            Set-ItResult -Skipped -Because 'node or npm is not installed'
            return
        }

        # The parsers' versions are pinned by package-lock.json; .ci/run installs them, as does this test when they are missing.
        $checks = Join-Path $root 'tests/SampleChecks'
        if (-not (Test-Path (Join-Path $checks 'node_modules/@actions/workflow-parser')) -or -not (Test-Path (Join-Path $checks 'node_modules/azure-pipelines-language-service'))) {
            $install = & npm ci --prefix $checks --no-audit --no-fund 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($install -join "`n")
        }

        Push-Location $checks
        try {
            $result = & node --import ./register-json-hooks.mjs ./parse-samples.mjs (Join-Path $root 'samples/github/renku-environments.yml') (Join-Path $root 'samples/azure/azure-pipelines.yml') 2>&1
        }
        finally {
            Pop-Location
        }

        $LASTEXITCODE | Should -Be 0 -Because ($result -join "`n")
        ($result -join "`n") | Should -Match 'github: 3 jobs'
        ($result -join "`n") | Should -Match 'azure: 3 stages'
    }
}
