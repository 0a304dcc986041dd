# Test-RenkuImageCompliance: Dockerfiles, policies and environment settings; images from the
# suite's registry, from an OCI layout and from a private Docker engine; session checks in Docker
# (and what Ctrl+C leaves behind) and in the fake Kubernetes cluster.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry, docker, kubernetes

    function New-Dockerfile([string[]] $Line) {
        $path = Join-Path $TestDrive ([guid]::NewGuid().ToString('N').Substring(0, 8) + '.Dockerfile')
        $Line | Set-Content -Path $path
        $path
    }
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Test-RenkuImageCompliance with a Dockerfile' {
    It 'flags a Renku-based Dockerfile that stays root and changes CMD, with line numbers' {
        $path = New-Dockerfile 'FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3', 'USER root', 'RUN apt-get update', 'CMD ["bash"]'
        $report = Test-RenkuImageCompliance -Dockerfile $path
        $report | Should -BeOfType ([Renku.PowerShell.ComplianceReport])
        $report.Passed | Should -BeFalse
        ($report.Results | Where-Object RuleId -EQ 'RKD002').Line | Should -Be 2
        ($report.Results | Where-Object RuleId -EQ 'RKD001').Outcome | Should -Be ([Renku.PowerShell.ComplianceOutcome]::Fail)
    }

    It 'stops with DockerfileNotFound and writes nothing for a missing Dockerfile' {
        $output = $null
        { $script:output = Test-RenkuImageCompliance -Dockerfile (Join-Path $TestDrive 'missing') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DockerfileNotFound,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
        $script:output | Should -BeNullOrEmpty
    }

    It 'fails the step with ComplianceFailed under -FailOn Error' {
        $path = New-Dockerfile 'FROM debian:12', 'USER root'
        { Test-RenkuImageCompliance -Dockerfile $path -FailOn Error } |
            Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
    }
}

Describe 'Policies' {
    It 'turns rules off and changes severities from a hashtable' {
        $path = New-Dockerfile 'FROM debian', 'USER 1000'
        $report = Test-RenkuImageCompliance -Dockerfile $path -Policy @{ Rules = @{ RKD003 = 'Off'; RKD004 = 'Warning' } }
        $report.Results.RuleId | Should -Not -Contain 'RKD003' -Because 'a rule set to Off is not reported'
        ($report.Results | Where-Object RuleId -EQ 'RKD004').Severity | Should -Be ([Renku.PowerShell.ComplianceSeverity]::Warning)
    }

    It 'rejects an unknown setting with InvalidCompliancePolicy' {
        { Test-RenkuImageCompliance -Dockerfile $PSCommandPath -Policy @{ Colour = 'blue' } } |
            Should -Throw -ErrorId 'InvalidCompliancePolicy,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
    }
}

Describe 'Environment settings' {
    It 'reports what Renku does with a working directory outside the mount directory' {
        $path = New-Dockerfile 'FROM debian:12', 'USER 1000'
        $report = Test-RenkuImageCompliance -Dockerfile $path -WorkingDirectory /opt/app -MountDirectory /home/renku/work -Port 65400
        ($report.Results | Where-Object RuleId -EQ 'RKC007').Message | Should -Match '/home/renku/work'
        ($report.Results | Where-Object RuleId -EQ 'RKC009').Outcome | Should -Be 'Fail' -Because 'ports from 65400 up belong to Renku''s sidecars'
        $report.Layout.WorkingDirectory | Should -Be '/home/renku/work'
    }

}

Describe 'Images from a registry' {
    BeforeEach {
        Assert-TestPart $parts registry
    }

    It 'passes a Renku-style image with a pinned tag, read without pulling it' {
        $report = Test-RenkuImageCompliance $parts.Registry.images.compliant
        $report.Source | Should -Be ([Renku.PowerShell.ImageSourceKind]::Registry)
        $report.Distribution | Should -Match 'Ubuntu'
        $report.Failures | Should -BeNullOrEmpty -Because ($report.Failures | Out-String)
        ($report.Results | Where-Object RuleId -EQ 'RKC013').Outcome | Should -Be 'Pass' -Because 'the registry serves it anonymously'
    }

    It 'fails an image that runs as root' {
        $report = Test-RenkuImageCompliance $parts.Registry.images.root
        $report.Passed | Should -BeFalse
        ($report.Results | Where-Object RuleId -EQ 'RKC002').Outcome | Should -Be 'Fail'
    }

    It 'checks an environment''s image with its settings' {
        $environment = [pscustomobject]@{ name = 'Lab'; container_image = $parts.Registry.images.compliant; port = 70000; default_url = 'lab' }
        $report = Test-RenkuImageCompliance -Environment $environment
        $report.Environment | Should -Be 'Lab'
        ($report.Results | Where-Object RuleId -EQ 'RKC009').Outcome | Should -Be 'Fail'
        ($report.Results | Where-Object RuleId -EQ 'RKC010').Outcome | Should -Be 'Fail' -Because 'a default URL is a path'
    }

    It 'checks every piped image' {
        $reports = $parts.Registry.images.compliant, $parts.Registry.images.root | Test-RenkuImageCompliance
        $reports | Should -HaveCount 2
        $reports.Passed | Sort-Object | Should -Be @($false, $true)
    }
}

Describe 'Images from an OCI layout' {
    It 'reports the floating tag of the example image' {
        $report = Test-RenkuImageCompliance -Path (Join-Path (Get-RepositoryRoot) 'out/example/python-lab')
        $report.Source | Should -Be ([Renku.PowerShell.ImageSourceKind]::Archive)
        $report.Failures.RuleId | Should -Be 'RKC012'
    }
}

Describe 'Session check in Docker' {
    BeforeEach {
        Assert-TestPart $parts docker
        $engine = $parts.Docker.host
    }

    It 'starts a compliant session image as Renku would and passes the session rules' {
        $report = Test-RenkuImageCompliance $parts.Docker.images.compliant -Source Docker -Runtime Docker -DockerHost $engine -Port (Get-FreePort) -ProbeTimeout 00:00:30
        $report.Session | Should -BeOfType ([Renku.PowerShell.SessionCheck])
        $report.Session.Ready | Should -BeTrue
        ($report.Results | Where-Object Category -EQ 'Session').Outcome | Should -Not -Contain 'Fail'
        docker -H $engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty -Because 'the check removes its container'
    }

    It 'fails the readiness rule of an image that listens on the wrong port' {
        $report = Test-RenkuImageCompliance $parts.Docker.images.wrongPort -Source Docker -Runtime Docker -DockerHost $engine -Port (Get-FreePort -Pair) -ProbeTimeout 00:00:05
        $report.Session.Ready | Should -BeFalse
        ($report.Results | Where-Object RuleId -EQ 'RKS002').Outcome | Should -Be 'Fail'
    }

    It 'leaves no container or volume behind when Ctrl+C stops it' {
        $modulePath = Get-StagedModulePath
        $child = Start-ChildPwsh -Interruptible -Command "Import-Module '$modulePath'; Test-RenkuImageCompliance '$($parts.Docker.images.wrongPort)' -Source Docker -Runtime Docker -DockerHost '$engine' -Port $(Get-FreePort -Pair) -ProbeTimeout 00:05:00"
        try {
            # Wait (bounded) until the check's container runs, then press Ctrl+C.
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            do {
                Start-Sleep -Milliseconds 250
                $running = docker -H $engine ps -q --filter label=io.renku.powershell.check
            } until ($running -or $child.Process.HasExited -or [DateTime]::UtcNow -gt $deadline)
            $early = if ($child.Process.HasExited) { "the child ended early: $($child.Output.Result) $($child.Errors.Result)" } else { 'the check runs its container before it waits for readiness' }
            $running | Should -Not -BeNullOrEmpty -Because $early
            $child.Process.HasExited | Should -BeFalse -Because 'the check waits for a readiness that never comes'
            kill -s INT $child.Process.Id
            $child.Process.WaitForExit(60000) | Should -BeTrue -Because 'Ctrl+C stops the check well before its probe timeout'
        }
        finally {
            if (-not $child.Process.HasExited) { $child.Process.Kill($true) }
        }

        docker -H $engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty -Because 'the stopped check removes its container'
        docker -H $engine volume ls -q --filter label=io.renku.powershell.check | Should -BeNullOrEmpty -Because 'the stopped check removes its volume'
    }
}

Describe '-WhatIf and -Confirm on session checks' {
    BeforeAll {
        function Invoke-AnsweredPwsh([string] $Command, [string] $Answer) {
            # A child pwsh that may prompt (not -NonInteractive), answered on its standard input.
            $pwsh = Get-PwshCommand
            $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
            foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-Command', $Command)) { $info.ArgumentList.Add($argument) }
            $info.RedirectStandardInput = $true
            $info.RedirectStandardOutput = $true
            $info.RedirectStandardError = $true
            $info.UseShellExecute = $false
            $process = [System.Diagnostics.Process]::Start($info)
            $output = $process.StandardOutput.ReadToEndAsync()
            $errors = $process.StandardError.ReadToEndAsync()
            $process.StandardInput.WriteLine($Answer)
            $process.StandardInput.Close()
            if (-not $process.WaitForExit(180000)) { $process.Kill($true); throw 'The child pwsh did not finish within 3 minutes.' }
            $process.WaitForExit()
            # The host wraps long lines at its width: one space for any run of white space.
            ($output.Result + $errors.Result) -replace '\s+', ' '
        }

        function Get-StartedCheck([string] $Engine, [datetime] $Since) {
            # Session check containers the engine started since then (docker events, bounded by --until).
            # Millisecond precision: a check of the test before may have started a second earlier.
            $from = (([DateTimeOffset]$Since).ToUnixTimeMilliseconds() / 1000).ToString('F3', [cultureinfo]::InvariantCulture)
            docker -H $Engine events --since $from --until ([DateTimeOffset]::UtcNow.AddSeconds(1)).ToUnixTimeSeconds() --filter event=start --filter label=io.renku.powershell.check --format '{{.Actor.Attributes.image}}'
        }
    }

    BeforeEach {
        Assert-TestPart $parts docker
        $engine = $parts.Docker.host
        $modulePath = Get-StagedModulePath
    }

    It 'starts no container under -WhatIf, says what it would start and still runs the static checks' {
        $since = [DateTime]::UtcNow
        $port = Get-FreePort
        $said = Invoke-AnsweredPwsh -Answer '' -Command "Import-Module '$modulePath'; `$r = Test-RenkuImageCompliance '$($parts.Docker.images.compliant)' -Source Docker -Runtime Docker -DockerHost '$engine' -Port $port -ProbeTimeout 00:00:30 -WhatIf; 'session:' + (`$null -eq `$r.Session); 'static:' + @(`$r.Results | Where-Object Category -EQ 'Image' | Where-Object Outcome -NE 'Skip').Count"
        $said | Should -Match ([regex]::Escape("What if: Starting $($parts.Docker.images.compliant) as a Renku session in a container on the Docker engine $engine (port $port, user 1000:1000"))
        $said | Should -Match 'session:True'
        $said | Should -Match 'static:[1-9]' -Because 'the static checks are reads and still run'
        Get-StartedCheck $engine $since | Should -BeNullOrEmpty -Because '-WhatIf starts nothing'
    }

    It 'asks before it starts a container under -Confirm, and starts nothing when the answer is no' {
        $since = [DateTime]::UtcNow
        $said = Invoke-AnsweredPwsh -Answer 'N' -Command "Import-Module '$modulePath'; `$r = Test-RenkuImageCompliance '$($parts.Docker.images.compliant)' -Source Docker -Runtime Docker -DockerHost '$engine' -Port $(Get-FreePort) -ProbeTimeout 00:00:30 -Confirm; 'session:' + (`$null -eq `$r.Session)"
        $said | Should -Match ([regex]::Escape("Start $($parts.Docker.images.compliant) in a session check container on the Docker engine, then remove it?"))
        $said | Should -Match 'session:True'
        Get-StartedCheck $engine $since | Should -BeNullOrEmpty -Because 'the answer was no'
    }

    It 'starts no build, container or push under Build-RenkuImage -Verify -Push -WhatIf, and says what it would do' {
        $context = Join-Path $TestDrive 'whatif-build'
        New-Item -ItemType Directory -Path $context | Out-Null
        "FROM $($parts.Docker.images.compliant)" | Set-Content (Join-Path $context 'Dockerfile')
        $since = [DateTime]::UtcNow
        $said = Invoke-AnsweredPwsh -Answer '' -Command "Import-Module '$modulePath'; `$r = Build-RenkuImage '$context' -Tag localhost:5999/team/whatif:1 -Verify -Port 8787 -Push -DockerHost '$engine' -WhatIf; 'output:' + @(`$r).Count"
        $said | Should -Match 'What if: .*Build image from .*Dockerfile, then verify it: starting localhost:5999/team/whatif:1 as a Renku session in a container on the Docker engine .*port 8787.*then push localhost:5999/team/whatif:1 if it passes'
        $said | Should -Match 'output:0'
        docker -H $engine images -q localhost:5999/team/whatif:1 | Should -BeNullOrEmpty -Because 'nothing was built'
        Get-StartedCheck $engine $since | Should -BeNullOrEmpty
    }
}

Describe 'Problems of the tool are errors, not verdicts on the image' {
    It 'reports an unreachable Docker engine as DockerEngineUnavailable for each image, with no report' {
        Assert-TestPart $parts registry
        $socket = 'unix://' + (Join-Path $TestDrive 'no-engine.sock')
        $reports = Test-RenkuImageCompliance $parts.Registry.images.compliant, $parts.Registry.images.root -Runtime Docker -DockerHost $socket -FailOn Error -ErrorVariable failures -ErrorAction SilentlyContinue
        $reports | Should -BeNullOrEmpty -Because 'no verdict is given on an image the tool could not start'
        $failures | Should -HaveCount 2
        $failures[0].FullyQualifiedErrorId | Should -Be 'DockerEngineUnavailable,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failures[0].TargetObject | Should -Be $parts.Registry.images.compliant
        $failures[1].TargetObject | Should -Be $parts.Registry.images.root
    }

    It 'reports an unreachable cluster as KubernetesUnreachable, with no report' {
        Assert-TestPart $parts kubernetes
        Assert-TestPart $parts registry
        $unreachable = Join-Path $TestDrive 'unreachable-kubeconfig'
        (Get-Content $parts.Kubernetes.kubeconfig -Raw) -replace 'http://127\.0\.0\.1:\d+', "http://127.0.0.1:$(Get-FreePort)" | Set-Content $unreachable
        $reports = Test-RenkuImageCompliance $parts.Registry.images.compliant -Runtime Kubernetes -Kubeconfig $unreachable -Namespace $parts.Kubernetes.namespace -ProbeTimeout 00:00:45 -ErrorVariable failures -ErrorAction SilentlyContinue
        $reports | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'KubernetesUnreachable,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'refuses -Connection $null instead of quietly using the current connection' {
        { Test-RenkuImageCompliance -Dockerfile $PSCommandPath -Connection $null } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
    }
}

Describe 'Results stream' {
    BeforeEach {
        Assert-TestPart $parts docker
        $engine = $parts.Docker.host
    }

    It 'starts checks in input order: Select-Object -First 1 at -ThrottleLimit 1 returns the first and never starts the third' {
        $images = 'a', 'b', 'c' | ForEach-Object { "renku-ps-pester/stream-${_}:1" }
        foreach ($image in $images) { docker -H $engine tag $parts.Docker.images.compliant $image }
        $since = [DateTime]::UtcNow
        $environments = $images | ForEach-Object { [pscustomobject]@{ Image = $_; Port = (Get-FreePort) } }
        $first = $environments | Test-RenkuImageCompliance -Source Docker -Runtime Docker -DockerHost $engine -ProbeTimeout 00:00:30 -ThrottleLimit 1 | Select-Object -First 1
        $first.Image | Should -Be "docker.io/$($images[0])"
        $first.Session.Ready | Should -BeTrue
        # The three tags are one image, so the engine's events tell the checks apart only by count.
        $from = (([DateTimeOffset]$since).ToUnixTimeMilliseconds() / 1000).ToString('F3', [cultureinfo]::InvariantCulture)
        $started = @(docker -H $engine events --since $from --until ([DateTimeOffset]::UtcNow.AddSeconds(1)).ToUnixTimeSeconds() --filter event=start --filter label=io.renku.powershell.check --format '{{.ID}}')
        $started.Count | Should -BeLessOrEqual 2 -Because 'the third check waits for the second, which starts only after the first'
        docker -H $engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty -Because 'the stopped checks remove what they started'
    }
}

Describe 'Session check in Kubernetes' {
    BeforeEach {
        Assert-TestPart $parts kubernetes
        Assert-TestPart $parts registry
    }

    It 'runs the check pod as Renku would and passes the session rules' {
        $report = Test-RenkuImageCompliance $parts.Registry.images.compliant -Runtime Kubernetes -Kubeconfig $parts.Kubernetes.kubeconfig -Namespace $parts.Kubernetes.namespace -ProbeTimeout 00:00:30
        $report.Session.Runtime | Should -Be 'Kubernetes'
        $report.Session.Ready | Should -BeTrue
        ($report.Results | Where-Object Category -EQ 'Session').Outcome | Should -Not -Contain 'Fail'
    }
}

Describe 'Job check' {
    BeforeEach {
        Assert-TestPart $parts docker
        $engine = $parts.Docker.host
    }

    It 'runs a job image to completion with -SessionKind Job: exit 0 passes, no probe, nothing left' {
        # The image's own CMD exits 0 only when it runs with Renku's job variables as 1000:1000 with a writable mount.
        $report = Test-RenkuImageCompliance $parts.Docker.images.jobSucceeds -Source Docker -Runtime Docker -DockerHost $engine -SessionKind Job -ProbeTimeout 00:00:30 -ErrorAction Stop
        $report.SessionKind | Should -Be ([Renku.PowerShell.SessionKind]::Job)
        $report.Session.Kind | Should -Be 'Job'
        $report.Session.Outcome | Should -Be ([Renku.PowerShell.SessionOutcome]::Succeeded) -Because ($report.Session.LogTail -join ' | ')
        $report.Session.ExitCode | Should -Be 0
        $report.Session.ProbeAttempts | Should -Be 0
        $report.Session.Environment | Should -Contain 'RENKU_JOB=1'
        ($report.Results | Where-Object RuleId -EQ 'RKS007').Outcome | Should -Be 'Pass'
        ($report.Results | Where-Object RuleId -EQ 'RKS006').Outcome | Should -Be 'Fail' -Because 'no -Command was given, and Renku requires one for a job'
        ($report.Results | Where-Object Category -EQ 'Session').Outcome | Should -Not -Contain 'Pass' -Because 'a job is not probed'
        ($report | Format-List | Out-String -Width 200) | Should -Match 'SessionKind\s*:\s*Job'
        ($report.Session | Format-List | Out-String -Width 200) | Should -Match 'Kind\s*:\s*Job'
        docker -H $engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty -Because 'the job check removes its container'
    }

    It 'fails a job that exits 3 with its exit code and last lines, credentials masked' {
        $report = Test-RenkuImageCompliance $parts.Docker.images.jobFails -Source Docker -Runtime Docker -DockerHost $engine -Command /bin/sh -Arguments '-c', 'exit 0' -SessionKind Job -ProbeTimeout 00:00:30
        $report.Session.Outcome | Should -Be 'Succeeded' -Because 'the environment''s command replaces the image''s'
        $report = Test-RenkuImageCompliance $parts.Docker.images.jobFails -Source Docker -Runtime Docker -DockerHost $engine -SessionKind Job -ProbeTimeout 00:00:30
        $report.Passed | Should -BeFalse
        $report.Session.ExitCode | Should -Be 3
        $job = $report.Results | Where-Object RuleId -EQ 'RKS007'
        $job.Outcome | Should -Be 'Fail'
        $job.Message | Should -Match 'code 3'
        $job.Message | Should -Match 'fatal: no such file'
        ($report.Results | ConvertTo-Json -Depth 4) + ($report.Session.LogTail -join "`n") | Should -Not -Match 'abc123verysecret'
        $report.Session.LogTail | Should -Contain 'using RENKU_TOKEN=***'
        docker -H $engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty
    }

    It 'fails a job still running at the timeout as a timeout' {
        $report = Test-RenkuImageCompliance $parts.Docker.images.sleeps -Source Docker -Runtime Docker -DockerHost $engine -SessionKind Job -ProbeTimeout 3
        $report.Session.Outcome | Should -Be ([Renku.PowerShell.SessionOutcome]::TimedOut)
        ($report.Results | Where-Object RuleId -EQ 'RKS007').Message | Should -Match 'still running after 3'
        docker -H $engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty
    }

    It 'binds SessionKind by property name from piped objects and hashtables' {
        $reports = @(
            [pscustomobject]@{ Image = $parts.Docker.images.jobSucceeds; SessionKind = 'Job' }
            @{ Image = $parts.Docker.images.jobSucceeds; SessionKind = 'Interactive' }
        ) | Test-RenkuImageCompliance -Source Docker -DockerHost $engine
        $reports.SessionKind | Should -Be @([Renku.PowerShell.SessionKind]::Job, [Renku.PowerShell.SessionKind]::Interactive)
        ($reports[0].Results | Where-Object RuleId -EQ 'RKS006').Outcome | Should -Be 'Fail' -Because 'the piped job names no command'
    }

    It 'runs a job pod to completion in the cluster' {
        Assert-TestPart $parts kubernetes
        Assert-TestPart $parts registry
        $report = Test-RenkuImageCompliance $parts.Registry.images.compliant -Command python -Arguments train.py -SessionKind Job -Runtime Kubernetes -Kubeconfig $parts.Kubernetes.kubeconfig -Namespace $parts.Kubernetes.namespace -ProbeTimeout 00:00:30
        $report.Session.Runtime | Should -Be 'Kubernetes'
        $report.Session.Kind | Should -Be 'Job'
        $report.Session.Outcome | Should -Be 'Succeeded'
        ($report.Results | Where-Object Category -EQ 'Job').Outcome | Should -Be @('Pass', 'Pass')
    }
}

Describe 'Job check of an environment a non-interactive launcher uses' {
    BeforeAll {
        $renkuParts = Start-TestPart -Name renku
        if (-not $renkuParts.Missing.PSObject.Properties['renku']) {
            Connect-RenkuInstance -Uri $renkuParts.Renku.uri -AccessToken (Get-RenkuTestToken $renkuParts) | Out-Null
        }
    }

    AfterAll {
        if (-not $renkuParts.Missing.PSObject.Properties['renku']) {
            Disconnect-RenkuInstance -ErrorAction SilentlyContinue
        }

        Stop-TestPart $renkuParts
    }

    BeforeEach {
        Assert-TestPart $renkuParts renku
        Assert-TestPart $parts docker
        $engine = $parts.Docker.host
    }

    It 'checks it as a job without being asked, and flags a job environment without a command' {
        $environment = New-RenkuGlobalEnvironment -Name 'Nightly job' -Image $parts.Docker.images.jobSucceeds -Port 8888 -Uid 1000 -Gid 1000 -WorkingDirectory /home/renku/work -MountDirectory /home/renku/work -DefaultUrl /
        Invoke-RestMethod -Method Post -Uri "$($renkuParts.Renku.uri)_test/launchers?name=Nightly&environment_id=$($environment.Id)&launcher_type=non-interactive" | Out-Null
        $report = $environment | Test-RenkuImageCompliance -Source Docker -DockerHost $engine -Runtime Docker -ProbeTimeout 00:00:30
        $report.SessionKind | Should -Be 'Job'
        $report.Session.Kind | Should -Be 'Job'
        $report.Session.Outcome | Should -Be 'Succeeded' -Because ($report.Session.LogTail -join ' | ')
        $missing = $report.Results | Where-Object RuleId -EQ 'RKS006'
        $missing.Outcome | Should -Be 'Fail'
        $missing.Message | Should -Match "'Nightly'"

        $interactive = $environment | Test-RenkuImageCompliance -Source Docker -DockerHost $engine -SessionKind Interactive
        $interactive.SessionKind | Should -Be 'Interactive'
        (Get-RenkuTestState $renkuParts).violations | Should -BeNullOrEmpty
        docker -H $engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty
    }
}

Describe 'Session check in Docker: only the session answers, on every network the engine offers' {
    BeforeAll {
        # Engines besides the file's own (dockerd without a default bridge, where each check makes a
        # network of its own): one that can give only the host's network, one with a default
        # bridge that cannot make networks, and podman's Docker-compatible service.
        $more = Start-TestPart -Name dockerhost, dockerbridge, podman
        $engines = @{ docker = $parts.Docker; dockerhost = $more.PSObject.Properties['dockerhost']?.Value; dockerbridge = $more.PSObject.Properties['dockerbridge']?.Value; podman = $more.PSObject.Properties['podman']?.Value }

        function Get-EnginePart([string] $Name) {
            Assert-TestPart ($Name -eq 'docker' ? $parts : $more) $Name
            $engines[$Name]
        }

        # A process already serving on the session port, as `python3 -m http.server 8888` would:
        # busybox httpd on every address, answering 200 at the session's default URL too.
        function Start-Squatter([int] $Port) {
            $busybox = (Get-Command busybox -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
            if (-not $busybox) {
                throw 'busybox (busybox-static) is needed for the squatter: apt-get install busybox-static'
            }

            $www = Join-Path $TestDrive "squatter-$Port"
            New-Item -ItemType Directory -Path (Join-Path $www 'sessions/renku-check') -Force | Out-Null
            Set-Content -Path (Join-Path $www 'index.html') -Value 'squatter'
            Set-Content -Path (Join-Path $www 'sessions/renku-check/index.html') -Value 'squatter'
            $process = Start-Process -FilePath $busybox -ArgumentList 'httpd', '-f', '-p', "0.0.0.0:$Port", '-h', $www -PassThru
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            do {
                $client = [System.Net.Sockets.TcpClient]::new()
                try { $client.Connect('127.0.0.1', $Port); $listening = $true } catch { $listening = $false } finally { $client.Dispose() }
                if (-not $listening) { Start-Sleep -Milliseconds 100 }
            } until ($listening -or [DateTime]::UtcNow -gt $deadline)
            $listening | Should -BeTrue -Because 'the squatter serves on the port before the check starts'
            (Invoke-WebRequest "http://127.0.0.1:$Port/sessions/renku-check/").StatusCode | Should -Be 200
            $process
        }

        function Stop-Squatter($Process) {
            if ($Process -and -not $Process.HasExited) {
                $Process.Kill()
                $Process.WaitForExit(10000) | Out-Null
            }
        }

        function Assert-NothingLeft([string] $Engine) {
            docker -H $Engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty -Because 'the check removes its container'
            docker -H $Engine volume ls -q --filter label=io.renku.powershell.check | Should -BeNullOrEmpty -Because 'the check removes its volume'
            docker -H $Engine network ls -q --filter label=io.renku.powershell.check | Should -BeNullOrEmpty -Because 'the check removes its network'
        }
    }

    AfterAll {
        Stop-TestPart $more
    }

    Context 'on <_>' -ForEach 'docker', 'dockerbridge', 'podman' {
        BeforeEach {
            $engine = Get-EnginePart $_
            # podman uses its default bridge (its CNI firewall keeps rules for every network made and removed).
            $expectedNetwork = $_ -eq 'docker' ? '^renku-check-' : '^bridge$'
        }

        It 'fails an image that serves nothing, with a server already on its port' {
            $port = Get-FreePort
            $squatter = Start-Squatter $port
            try {
                $report = Test-RenkuImageCompliance $engine.images.sleeps -Source Docker -Runtime Docker -DockerHost $engine.host -Port $port -ProbeTimeout 00:00:06
            }
            finally {
                Stop-Squatter $squatter
            }

            $report.Session.Started | Should -BeTrue -Because $report.Session.StartError
            $report.Session.Ready | Should -BeFalse -Because "the probe went to $($report.Session.ProbeAddress) ($($report.Session.ProbeRoute))"
            $report.Session.ProbeAddress | Should -Not -Be "127.0.0.1:$port"
            $report.Session.Network | Should -Match $expectedNetwork
            $report.Session.ProbeRoute | Should -Be 'container address'
            ($report.Results | Where-Object RuleId -EQ 'RKS002').Outcome | Should -Be 'Fail'
            ($report.Results | Where-Object RuleId -EQ 'RKS003').Outcome | Should -Not -Be 'Pass'
            $report.Passed | Should -BeFalse
            Assert-NothingLeft $engine.host
        }

        It 'passes a compliant image answered by itself, with a server already on its port' {
            $port = Get-FreePort -Pair
            $squatter = Start-Squatter $port
            try {
                $report = Test-RenkuImageCompliance $engine.images.compliant -Source Docker -Runtime Docker -DockerHost $engine.host -Port $port -ProbeTimeout 00:00:30
            }
            finally {
                Stop-Squatter $squatter
            }

            $report.Session.Ready | Should -BeTrue -Because ($report.Session.StartError, $report.Session.LogTail -join ' | ')
            ($report.Results | Where-Object Category -EQ 'Session').Outcome | Should -Not -Contain 'Fail'
            $report.Session.Url | Should -Not -Match "//127\.0\.0\.1:$port/"
            Assert-NothingLeft $engine.host
        }

        It 'runs checks at once on one port without their answering each other' {
            $port = Get-FreePort -Pair
            $reports = $engine.images.compliant, $engine.images.sleeps, $engine.images.compliant, $engine.images.sleeps |
                Test-RenkuImageCompliance -Source Docker -Runtime Docker -DockerHost $engine.host -Port $port -ProbeTimeout 00:00:20 -ThrottleLimit 4
            $reports | Should -HaveCount 4
            ($reports | Where-Object Image -Match 'compliant').Session.Ready | Should -Be @($true, $true)
            ($reports | Where-Object Image -Match 'sleeps').Session.Ready | Should -Be @($false, $false)
            @($reports.Session.ProbeAddress | Select-Object -Unique) | Should -HaveCount 4
            Assert-NothingLeft $engine.host
        }
    }

    Context 'on an engine that can give only the host''s network' {
        BeforeEach {
            $engine = Get-EnginePart dockerhost
        }

        It 'refuses with SessionPortInUse when the port is taken, and starts nothing' {
            $port = Get-FreePort
            $squatter = Start-Squatter $port
            try {
                $output = $null
                { $script:output = Test-RenkuImageCompliance $engine.images.sleeps -Source Docker -Runtime Docker -DockerHost $engine.host -Port $port -ProbeTimeout 00:00:06 -ErrorAction Stop } |
                    Should -Throw -ErrorId 'SessionPortInUse,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
                $script:output | Should -BeNullOrEmpty -Because 'a machine problem is no verdict on the image'
            }
            finally {
                Stop-Squatter $squatter
            }

            Assert-NothingLeft $engine.host
        }

        It 'passes a compliant image whose listener it proved to be the session''s' {
            $report = Test-RenkuImageCompliance $engine.images.compliant -Source Docker -Runtime Docker -DockerHost $engine.host -Port (Get-FreePort -Pair) -ProbeTimeout 00:00:30
            $report.Session.Network | Should -Be 'host'
            $report.Session.ProbeRoute | Should -Be 'host network'
            $report.Session.Ready | Should -BeTrue -Because ($report.Session.LogTail -join ' | ')
            ($report.Results | Where-Object Category -EQ 'Session').Outcome | Should -Not -Contain 'Fail'
            Assert-NothingLeft $engine.host
        }

        It 'runs checks of one port in turn, each answered by itself' {
            $port = Get-FreePort -Pair
            $reports = $engine.images.compliant, $engine.images.sleeps | Test-RenkuImageCompliance -Source Docker -Runtime Docker -DockerHost $engine.host -Port $port -ProbeTimeout 00:00:10 -ThrottleLimit 4
            ($reports | Where-Object Image -Match 'compliant').Session.Ready | Should -BeTrue
            ($reports | Where-Object Image -Match 'sleeps').Session.Ready | Should -BeFalse
            Assert-NothingLeft $engine.host
        }
    }
}
