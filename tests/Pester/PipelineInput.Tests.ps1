#Requires -Version 7.4

# Plain objects pipe by property name into the cmdlets that take images or environments, whatever
# made them: [pscustomobject], a hashtable (as Import-PowerShellDataFile returns it), Import-Csv,
# ConvertFrom-Json, the module's own objects. An object is never taken through its ToString().

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/Renku.PowerShell') -Force
    $script:dockerfile = Join-Path ([IO.Path]::GetTempPath()) "renku-pipeline-$([guid]::NewGuid().ToString('N')).Dockerfile"
    'FROM debian:12', 'USER 1000' | Set-Content -Path $script:dockerfile
    $script:psd1 = Join-Path ([IO.Path]::GetTempPath()) "renku-pipeline-$([guid]::NewGuid().ToString('N')).psd1"
    "@{ environments = @( @{ Name = 'a'; Port = 8888; DefaultUrl = '/lab' }, @{ name = 'b'; port = 70000; default_url = 'lab' } ) }" | Set-Content -Path $script:psd1
}

AfterAll {
    Remove-Item -LiteralPath $script:dockerfile, $script:psd1 -ErrorAction SilentlyContinue
}

Describe 'Environments piped into Test-RenkuImageCompliance' -ForEach @(
    @{ Kind = '[pscustomobject]'; Make = { @([pscustomobject]@{ Name = 'a'; Port = 8888; DefaultUrl = '/lab' }, [pscustomobject]@{ name = 'b'; port = 70000; default_url = 'lab' }) } }
    @{ Kind = 'hashtable from Import-PowerShellDataFile'; Make = { (Import-PowerShellDataFile $script:psd1).environments } }
    @{ Kind = 'Import-Csv row'; Make = { "Name,Port,DefaultUrl`na,8888,/lab`nb,70000,lab" | ConvertFrom-Csv } }
    @{ Kind = 'ConvertFrom-Json object'; Make = { '[{"Name":"a","Port":8888,"DefaultUrl":"/lab"},{"name":"b","port":70000,"default_url":"lab"}]' | ConvertFrom-Json } }
) {
    It 'binds a <Kind> by property name and checks the Dockerfile under its settings' {
        $reports = @(& $Make | Test-RenkuImageCompliance -Dockerfile $script:dockerfile)
        $reports.Count | Should -Be 2 -Because 'each piped environment gets a report, none is refused as an image reference'
        $reports[0] | Should -BeOfType ([Renku.PowerShell.ComplianceReport])
        $reports[0].Environment | Should -Be 'a'
        $reports[0].Settings.DefaultUrl | Should -Be '/lab'
        $reports[0].Reference | Should -BeNullOrEmpty -Because 'the objects have no Image property, and their text is not an image'
        $reports[0].Image | Should -Be $script:dockerfile -Because 'a check of the Dockerfile alone is named after the Dockerfile'
        $reports[1].Settings.Port | Should -Be 70000
        ($reports[1].Results | Where-Object RuleId -EQ 'RKC010').Outcome | Should -Be 'Fail' -Because 'port 70000 is outside what Renku accepts'
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
        { @{ Name = 'a'; Port = 'eighty' } | Test-RenkuImageCompliance -Dockerfile $script:dockerfile -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPipelineInput,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand'
    }
}
