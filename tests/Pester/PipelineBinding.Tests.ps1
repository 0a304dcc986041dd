# Plain objects pipe by property name into the cmdlets that take environments or images:
# [pscustomobject], hashtables made [pscustomobject], Import-Csv, ConvertFrom-Json,
# Import-PowerShellDataFile and the module's own objects. An object is never bound to a string
# parameter through its ToString().
# Hashtables piped as they are (Import-PowerShellDataFile returns them) bind by key.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry
    $dockerfile = Join-Path $TestDrive 'Dockerfile'
    'FROM debian:12', 'USER 1000' | Set-Content -Path $dockerfile
    $environments = Join-Path $TestDrive 'environments.psd1'
    "@{ environments = @( @{ Name = 'a'; Port = 8888; DefaultUrl = '/lab' }, @{ name = 'b'; port = 70000; default_url = 'lab' } ) }" | Set-Content -Path $environments
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Environments piped into Test-RenkuImageCompliance -Dockerfile' {
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

Describe 'Images piped by property name' {
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

    It 'checks an object whose only property is Image as an image, never as an upgrade row' {
        $result = [pscustomobject]@{ Image = $image } | Test-RenkuImageCompliance -ErrorAction Stop
        $result | Should -HaveCount 1
        $result.Image | Should -Be $image
    }

    It 'refuses anything but an upgrade row given to -Upgrade' {
        { Test-RenkuImageCompliance -Upgrade ([pscustomobject]@{ Image = $image }) -Candidate -ErrorAction Stop } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand' -ExpectedMessage '*a PSCustomObject, where only objects of type ImageUpgrade are taken*'
    }

    It 'binds the module''s own ImageReference objects to Get-RenkuImage' {
        (ConvertTo-RenkuImageReference $image | Get-RenkuImage -ErrorAction Stop).Reference.FullName | Should -Be $image
    }

    It 'never binds an object without an image to -Image through its ToString()' {
        { [pscustomobject]@{ Name = 'no image'; Port = 8888 } | Get-RenkuImage -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Renku.PowerShell.Commands.Images.GetRenkuImageCommand' -Because 'the object has no Image or container_image property, so -Image gets nothing (not its text)'
    }
}

Describe 'Environments piped into Test-RenkuImageCompliance' -ForEach @(
    @{ Kind = '[pscustomobject]'; Make = { @([pscustomobject]@{ Name = 'a'; Port = 8888; DefaultUrl = '/lab' }, [pscustomobject]@{ name = 'b'; port = 70000; default_url = 'lab' }) } }
    @{ Kind = 'hashtable from Import-PowerShellDataFile'; Make = { (Import-PowerShellDataFile $environments).environments } }
    @{ Kind = 'Import-Csv row'; Make = { "Name,Port,DefaultUrl`na,8888,/lab`nb,70000,lab" | ConvertFrom-Csv } }
    @{ Kind = 'ConvertFrom-Json object'; Make = { '[{"Name":"a","Port":8888,"DefaultUrl":"/lab"},{"name":"b","port":70000,"default_url":"lab"}]' | ConvertFrom-Json } }
) {
    It 'binds a <Kind> by property name and checks the Dockerfile under its settings' {
        $reports = @(& $Make | Test-RenkuImageCompliance -Dockerfile $dockerfile)
        $reports.Count | Should -Be 2 -Because 'each piped environment gets a report, none is refused as an image reference'
        $reports[0] | Should -BeOfType ([Renku.PowerShell.ComplianceReport])
        $reports[0].Environment | Should -Be 'a'
        $reports[0].Settings.DefaultUrl | Should -Be '/lab'
        $reports[0].Reference | Should -BeNullOrEmpty -Because 'the objects have no Image property, and their text is not an image'
        $reports[0].Image | Should -Be $dockerfile -Because 'a check of the Dockerfile alone is named after the Dockerfile'
        $reports[1].Settings.Port | Should -Be 70000
        ($reports[1].Results | Where-Object RuleId -EQ 'RKC010').Outcome | Should -Be 'Fail' -Because 'port 70000 is outside what Renku accepts'
    }
}

Describe 'One environment gives the same settings however it comes' {
    BeforeAll {
        function Show($settings) {
            $list = { param($items) if ($null -eq $items) { 'none' } else { '[' + (@($items | ForEach-Object { "'$_'" }) -join ',') + ']' } }
            "$($settings.Name) $($settings.Port) $($settings.DefaultUrl) wd=$(if ($null -eq $settings.WorkingDirectory) { 'none' } else { $settings.WorkingDirectory }) " +
                "cmd=$(& $list $settings.Command) args=$(& $list $settings.Args)"
        }
    }

    BeforeEach {
        Assert-TestPart $parts registry
        $image = $parts.Registry.images.compliant
    }

    It 'reads <Json> alike with -Environment, piped and as parameters' -ForEach @(
        @{ Json = '{ "name": "lab", "port": 8080, "default_url": "/lab", "working_directory": "", "command": [], "args": null }'
           Parameters = @{ EnvironmentName = 'lab'; Port = 8080; DefaultUrl = '/lab'; WorkingDirectory = ''; Command = @(); Arguments = $null }
           Expected = 'lab 8080 /lab wd=none cmd=none args=none' }
        @{ Json = '{ "name": "lab", "port": "8080", "command": ["bash", "-c"], "args": ["run"] }'
           Parameters = @{ EnvironmentName = 'lab'; Port = 8080; Command = 'bash', '-c'; Arguments = 'run' }
           Expected = "lab 8080 / wd=none cmd=['bash','-c'] args=['run']" }
    ) {
        $environment = $Json | ConvertFrom-Json | Add-Member -NotePropertyName container_image -NotePropertyValue $image -PassThru
        Show (Test-RenkuImageCompliance -Environment $environment -ErrorAction Stop).Settings | Should -Be $Expected
        Show ($environment | Test-RenkuImageCompliance -ErrorAction Stop).Settings | Should -Be $Expected -Because 'piped, the fields bind to the parameters by property name'
        Show (Test-RenkuImageCompliance -Image $image @Parameters -ErrorAction Stop).Settings | Should -Be $Expected
    }
}

Describe 'Images piped into ConvertTo-RenkuImageReference' -ForEach @(
    @{ Kind = 'string'; Make = { 'python:3.12' } }
    @{ Kind = '[pscustomobject] with Image'; Make = { [pscustomobject]@{ Name = 'py'; Image = 'python:3.12' } } }
    @{ Kind = '[pscustomobject] with container_image'; Make = { [pscustomobject]@{ name = 'py'; container_image = 'python:3.12' } } }
    @{ Kind = 'hashtable'; Make = { @{ Name = 'py'; Image = 'python:3.12' } } }
    @{ Kind = 'Import-Csv row'; Make = { "Name,Image`npy,python:3.12" | ConvertFrom-Csv } }
    @{ Kind = 'ConvertFrom-Json object'; Make = { '{"name":"py","container_image":"python:3.12"}' | ConvertFrom-Json } }
    @{ Kind = 'ImageReference'; Make = { ConvertTo-RenkuImageReference 'python:3.12' } }
) {
    It 'takes the image of a <Kind>' {
        $reference = & $Make | ConvertTo-RenkuImageReference
        $reference | Should -BeOfType ([Renku.PowerShell.ImageReference])
        $reference.FullName | Should -Be 'docker.io/library/python:3.12'
    }
}

Describe 'Objects without an image' {
    It 'are refused, never read through their text' {
        { [pscustomobject]@{ Name = 'a'; Port = 8888 } | ConvertTo-RenkuImageReference -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyArrayNotAllowed,Renku.PowerShell.Commands.Images.ConvertToRenkuImageReferenceCommand'
        { @{ Port = 8888 } | Get-RenkuImage -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Renku.PowerShell.Commands.Images.GetRenkuImageCommand'
    }

    It 'name the key that does not convert' {
        { @{ Name = 'a'; Port = 'eighty' } | Test-RenkuImageCompliance -Dockerfile $dockerfile -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPipelineInput,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
    }
}
