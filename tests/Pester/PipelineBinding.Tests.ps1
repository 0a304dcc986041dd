# Plain objects pipe by property name into the cmdlets that take environments or images:
# [pscustomobject], hashtables made [pscustomobject], Import-Csv, ConvertFrom-Json,
# Import-PowerShellDataFile and the module's own objects. An object is never bound to a string
# parameter through its ToString().
#
# Tagged Issue15: the parameter refactor of issue 15 makes these pass. Until it lands the test
# command leaves this file out (build.ps1, Run.ExcludePath); run it with Invoke-Pester on its path.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry
    $dockerfile = Join-Path $TestDrive 'Dockerfile'
    'FROM debian:12', 'USER 1000' | Set-Content -Path $dockerfile
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Environments piped into Test-RenkuImageCompliance -Dockerfile' -Tag Issue15 {
    BeforeAll {
        $csv = Join-Path $TestDrive 'environments.csv'
        "Name,Port,DefaultUrl`nfrom-csv,8888,/lab" | Set-Content -Path $csv
        $psd1 = Join-Path $TestDrive 'environment.psd1'
        "@{ Name = 'from-psd1'; Port = 8888; DefaultUrl = '/lab' }" | Set-Content -Path $psd1
    }

    It 'binds a <Kind> by property name' -ForEach @(
        @{ Kind = '[pscustomobject]'; Make = { [pscustomobject]@{ Name = 'a'; Port = 8888; DefaultUrl = '/lab' } }; Name = 'a' }
        @{ Kind = 'hashtable made [pscustomobject]'; Make = { [pscustomobject]@{ name = 'b'; port = 8888; default_url = '/lab' } }; Name = 'b' }
        @{ Kind = 'Import-Csv row'; Make = { Import-Csv -Path $csv }; Name = 'from-csv' }
        @{ Kind = 'ConvertFrom-Json object'; Make = { '{ "name": "from-json", "port": 8888, "default_url": "/lab" }' | ConvertFrom-Json }; Name = 'from-json' }
        @{ Kind = 'Import-PowerShellDataFile table made [pscustomobject]'; Make = { [pscustomobject](Import-PowerShellDataFile -Path $psd1) }; Name = 'from-psd1' }
    ) {
        $report = & $Make | Test-RenkuImageCompliance -Dockerfile $dockerfile -ErrorAction Stop
        $report | Should -HaveCount 1
        $report.Environment | Should -Be $Name
        $report.Settings.Port | Should -Be 8888
        $report.Settings.DefaultUrl | Should -Be '/lab'
    }
}

Describe 'Images piped by property name' -Tag Issue15 {
    BeforeEach {
        Assert-TestPart $parts registry
        $image = $parts.Registry.images.compliant
    }

    It 'binds the Image of an Import-Csv row to <Command>' -ForEach @(
        @{ Command = 'Get-RenkuImage' }
        @{ Command = 'Test-RenkuImageCompliance' }
        @{ Command = 'ConvertTo-RenkuImageReference' }
    ) {
        $csv = Join-Path $TestDrive 'images.csv'
        "Name,Image`nlab,$image" | Set-Content -Path $csv
        $result = Import-Csv -Path $csv | & $Command -ErrorAction Stop
        $result | Should -HaveCount 1
    }

    It 'binds the module''s own ImageReference objects to Get-RenkuImage' {
        (ConvertTo-RenkuImageReference $image | Get-RenkuImage -ErrorAction Stop).Reference.FullName | Should -Be $image
    }

    It 'never binds an object without an image to -Image through its ToString()' {
        { [pscustomobject]@{ Name = 'no image'; Port = 8888 } | Get-RenkuImage -ErrorAction Stop } |
            Should -Throw -ErrorId 'InputObjectNotBound,Renku.PowerShell.Commands.Images.GetRenkuImageCommand' -Because 'the object has no Image or container_image property'
    }
}
