# Export-RenkuComplianceReport: compliance reports as JUnit XML and SARIF for CI systems.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $dockerfile = Join-Path $TestDrive 'Dockerfile'
    'FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:latest', 'USER root' | Set-Content -Path $dockerfile
    $report = Test-RenkuImageCompliance -Dockerfile $dockerfile
}

Describe 'Export-RenkuComplianceReport' {
    It 'writes JUnit XML with testsuites, testsuite, testcase and failure elements' {
        $file = Join-Path $TestDrive 'compliance.xml'
        $report | Export-RenkuComplianceReport -Format JUnit -Path $file
        [xml]$xml = Get-Content -Raw $file
        @($xml.testsuites.testsuite.testcase).Count | Should -Be $report.Results.Count -Because 'each rule is a test case'
        @($xml.testsuites.testsuite.testcase | Where-Object { $_.failure }).Count | Should -BeGreaterThan 0
    }

    It 'writes SARIF 2.1.0 with rules and located results' {
        $file = Join-Path $TestDrive 'compliance.sarif'
        $report | Export-RenkuComplianceReport -Format Sarif -Path $file
        $sarif = Get-Content -Raw $file | ConvertFrom-Json
        $sarif.version | Should -Be '2.1.0'
        $sarif.runs[0].tool.driver.rules.id | Should -Contain 'RKD002'
        $sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine | Should -BeGreaterThan 0
    }

    It 'returns the written file with -PassThru' {
        $file = Join-Path $TestDrive 'passthru.xml'
        $written = $report | Export-RenkuComplianceReport -Format JUnit -Path $file -PassThru
        $written | Should -BeOfType ([System.IO.FileInfo])
        $written.FullName | Should -Be $file
    }

    It 'refuses to overwrite with -NoClobber' {
        $file = Join-Path $TestDrive 'kept.xml'
        Set-Content -Path $file -Value 'keep'
        { $report | Export-RenkuComplianceReport -Format JUnit -Path $file -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReportFileExists,Renku.PowerShell.Commands.Compliance.ExportRenkuComplianceReportCommand'
        Get-Content -Raw $file | Should -Match 'keep'
    }

    It 'still writes the JUnit file when -FailOn stops the pipeline' {
        $file = Join-Path $TestDrive 'failing.xml'
        { Test-RenkuImageCompliance -Dockerfile $dockerfile -FailOn Error | Export-RenkuComplianceReport -Format JUnit -Path $file } |
            Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
        [xml]$xml = Get-Content -Raw $file
        @($xml.testsuites.testsuite).Count | Should -Be 1
    }

    It 'counts only errors as JUnit failures without -FailOn, none with -FailOn Never' {
        $errorsOnly = Join-Path $TestDrive 'errors.xml'
        $report | Export-RenkuComplianceReport -Format JUnit -Path $errorsOnly | Should -BeNullOrEmpty -Because 'an exporter writes nothing without -PassThru'
        $never = Join-Path $TestDrive 'never.xml'
        $report | Export-RenkuComplianceReport -Format JUnit -Path $never -FailOn Never
        @(([xml](Get-Content -Raw $errorsOnly)).testsuites.testsuite.testcase | Where-Object { $_.failure }).Count | Should -Be $report.ErrorCount
        @(([xml](Get-Content -Raw $never)).testsuites.testsuite.testcase | Where-Object { $_.failure }).Count | Should -Be 0
    }

    It '-FailOn means what it means on Test-RenkuImageCompliance: ComplianceFailed once the file is complete' {
        $report.ErrorCount | Should -BeGreaterThan 0
        $file = Join-Path $TestDrive 'failon.xml'
        $written = [System.Collections.Generic.List[object]]::new()
        { $report | Export-RenkuComplianceReport -Format JUnit -Path $file -FailOn Error -PassThru | ForEach-Object { $written.Add($_) } } |
            Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Compliance.ExportRenkuComplianceReportCommand'
        $written | Should -HaveCount 1 -Because '-PassThru writes the file before the error'
        @(([xml](Get-Content -Raw $file)).testsuites.testsuite.testcase | Where-Object { $_.failure }).Count | Should -Be $report.ErrorCount
        { Test-RenkuImageCompliance -Dockerfile $dockerfile -FailOn Error } |
            Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
    }

    It 'does not fail with -FailOn when no report fails at that level' {
        $passing = Join-Path $TestDrive 'Dockerfile.passing'
        'FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3' | Set-Content -Path $passing
        $good = Test-RenkuImageCompliance -Dockerfile $passing
        $good.ErrorCount | Should -Be 0
        { $good | Export-RenkuComplianceReport -Format JUnit -Path (Join-Path $TestDrive 'good.xml') -FailOn Error } | Should -Not -Throw
    }
}
