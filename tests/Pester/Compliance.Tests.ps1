#Requires -Modules Pester
# End-to-end tests of Test-RenkuImageCompliance and Export-RenkuComplianceReport against the staged module.
# The session and Docker-source tests need a Docker engine (DOCKER_HOST or the default socket) and
# the busybox-based images the xunit suite builds (renku-ps-test/session-*); they skip otherwise.

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/Renku.PowerShell" -Force
    $script:dockerfileDir = Join-Path ([System.IO.Path]::GetTempPath()) ("renku-ps-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $script:dockerfileDir | Out-Null
}

AfterAll {
    Remove-Item -Recurse -Force $script:dockerfileDir -ErrorAction SilentlyContinue
}

Describe 'Test-RenkuImageCompliance with a Dockerfile' {
    It 'flags a Renku-based Dockerfile that stays root and changes CMD, with line numbers' {
        $path = Join-Path $script:dockerfileDir 'Dockerfile'
        @(
            'FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3'
            'USER root'
            'RUN apt-get update'
            'CMD ["bash"]'
        ) | Set-Content -Path $path

        $report = Test-RenkuImageCompliance -Dockerfile $path
        $report | Should -BeOfType 'Renku.PowerShell.ComplianceReport'
        $report.Passed | Should -BeFalse
        ($report.Results | Where-Object RuleId -eq 'RKD002').Line | Should -Be 2
        ($report.Results | Where-Object RuleId -eq 'RKD001').Outcome | Should -Be 'Fail'
    }

    It 'stops with DockerfileNotFound and writes nothing for a missing Dockerfile' {
        $output = $null
        { $script:output = Test-RenkuImageCompliance -Dockerfile (Join-Path $script:dockerfileDir 'missing') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DockerfileNotFound,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
        $script:output | Should -BeNullOrEmpty
    }
}

Describe 'Policies' {
    It 'turns rules off and changes severities from a hashtable' {
        $path = Join-Path $script:dockerfileDir 'Dockerfile.latest'
        'FROM debian', 'USER 1000' | Set-Content -Path $path
        $report = Test-RenkuImageCompliance -Dockerfile $path -Policy @{ Rules = @{ RKD003 = 'Off'; RKD004 = 'Warning' } }
        $report.Results.RuleId | Should -Not -Contain 'RKD003'
    }

    It 'rejects an unknown setting with InvalidCompliancePolicy' {
        { Test-RenkuImageCompliance -Dockerfile $PSCommandPath -Policy @{ Colour = 'blue' } } |
            Should -Throw -ErrorId 'InvalidCompliancePolicy,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
    }
}

Describe 'Environment settings' {
    It 'reports what Renku does with a working directory outside the mount directory' {
        $path = Join-Path $script:dockerfileDir 'Dockerfile.env'
        'FROM debian:12', 'USER 1000' | Set-Content -Path $path
        $report = Test-RenkuImageCompliance -Dockerfile $path -WorkingDirectory /opt/app -MountDirectory /home/renku/work -Port 65400
        ($report.Results | Where-Object RuleId -eq 'RKC007').Message | Should -Match '/home/renku/work'
        ($report.Results | Where-Object RuleId -eq 'RKC009').Outcome | Should -Be 'Fail'
        $report.Layout.WorkingDirectory | Should -Be '/home/renku/work'
    }

    It 'takes environment objects from the pipeline' {
        $path = Join-Path $script:dockerfileDir 'Dockerfile.pipe'
        'FROM debian:12', 'USER 1000' | Set-Content -Path $path
        $reports = @(
            [pscustomobject]@{ Name = 'a'; Port = 8888; DefaultUrl = '/lab' }
            [pscustomobject]@{ Name = 'b'; port = 70000; default_url = 'lab' }
        ) | Test-RenkuImageCompliance -Dockerfile $path
        $reports.Count | Should -Be 2
        $reports[0].Environment | Should -Be 'a'
        ($reports[1].Results | Where-Object RuleId -eq 'RKC010').Outcome | Should -Be 'Fail'
    }
}

Describe 'Reports for CI' {
    BeforeAll {
        $path = Join-Path $script:dockerfileDir 'Dockerfile.ci'
        'FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:latest', 'USER root' | Set-Content -Path $path
        $script:report = Test-RenkuImageCompliance -Dockerfile $path
    }

    It 'writes JUnit XML with testsuites, testsuite, testcase and failure elements' {
        $file = Join-Path $script:dockerfileDir 'compliance.xml'
        $script:report | Export-RenkuComplianceReport -Format JUnit -Path $file
        [xml]$xml = Get-Content -Raw $file
        $xml.testsuites.testsuite.testcase.Count | Should -BeGreaterThan 5
        @($xml.testsuites.testsuite.testcase | Where-Object { $_.failure }).Count | Should -BeGreaterThan 0
    }

    It 'writes SARIF 2.1.0 with rules and located results' {
        $file = Join-Path $script:dockerfileDir 'compliance.sarif'
        $script:report | Export-RenkuComplianceReport -Format Sarif -Path $file
        $sarif = Get-Content -Raw $file | ConvertFrom-Json
        $sarif.version | Should -Be '2.1.0'
        $sarif.runs[0].tool.driver.rules.id | Should -Contain 'RKD002'
        $sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine | Should -BeGreaterThan 0
    }

    It 'fails the step with ComplianceFailed under -FailOn Error' {
        $path = Join-Path $script:dockerfileDir 'Dockerfile.ci'
        { Test-RenkuImageCompliance -Dockerfile $path -FailOn Error } |
            Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
    }

    It 'still writes the JUnit file when -FailOn stops the pipeline' {
        $path = Join-Path $script:dockerfileDir 'Dockerfile.ci'
        $file = Join-Path $script:dockerfileDir 'failing.xml'
        { Test-RenkuImageCompliance -Dockerfile $path -FailOn Error | Export-RenkuComplianceReport -Format JUnit -Path $file } |
            Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
        [xml]$xml = Get-Content -Raw $file
        @($xml.testsuites.testsuite).Count | Should -Be 1
    }
}

Describe 'Session check in Docker' {
    BeforeAll {
        $script:hasDocker = [bool](Get-Command docker -ErrorAction SilentlyContinue) -and ((docker images -q 'renku-ps-test/session-compliant' 2>$null) -ne $null)
    }

    It 'starts a compliant session image and passes the session rules' -Skip:(-not $script:hasDocker) {
        $image = (docker images --format '{{.Repository}}:{{.Tag}}' 'renku-ps-test/session-compliant' | Select-Object -First 1)
        $port = Get-Random -Minimum 20000 -Maximum 30000
        $report = Test-RenkuImageCompliance $image -Source Docker -Runtime Docker -Port $port -ProbeTimeout 00:00:15
        $report.Session.Ready | Should -BeTrue
        ($report.Results | Where-Object Category -eq 'Session').Outcome | Should -Not -Contain 'Fail'
    }
}
