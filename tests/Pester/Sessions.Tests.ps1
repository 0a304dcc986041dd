#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Get-RenkuSession against the in-repo fake Kubernetes API server, started as a process.
# Build first (dotnet build) so that the staged module and the fake server exist.

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/Renku.PowerShell" -Force

    $fakeDll = Get-ChildItem -Path "$PSScriptRoot/../TestServers/Renku.PowerShell.FakeKubernetes/bin" -Recurse -Filter 'Renku.PowerShell.FakeKubernetes.dll' |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $fakeDll) {
        throw 'The fake Kubernetes API server is not built; run dotnet build first.'
    }

    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ("renku-ps-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $script:work | Out-Null
    $script:kubeconfig = Join-Path $script:work 'config'
    $stdout = Join-Path $script:work 'fake.out'

    $script:fake = Start-Process -FilePath 'dotnet' -PassThru -NoNewWindow -RedirectStandardOutput $stdout `
        -ArgumentList @($fakeDll.FullName, '--kubeconfig', $script:kubeconfig, '--namespace', 'renku', '--sessions', '20')

    $deadline = (Get-Date).AddSeconds(30)
    while (-not ((Test-Path $stdout) -and (Get-Content $stdout -Raw) -match 'listening')) {
        if ((Get-Date) -gt $deadline -or $script:fake.HasExited) {
            throw 'The fake Kubernetes API server did not start.'
        }
        Start-Sleep -Milliseconds 100
    }
}

AfterAll {
    if ($script:fake -and -not $script:fake.HasExited) {
        Stop-Process -Id $script:fake.Id -Force
    }
    Remove-Item -Recurse -Force -Path $script:work -ErrorAction SilentlyContinue
}

Describe 'Get-RenkuSession' {
    It 'lists every session as a typed object' {
        $sessions = @(Get-RenkuSession -Kubeconfig $script:kubeconfig)
        $sessions.Count | Should -Be 20
        $sessions[0].PSObject.TypeNames[0] | Should -Be 'Renku.PowerShell.RenkuSession'
        $sessions[0].Namespace | Should -Be 'renku'
    }

    It 'filters by state' {
        $failed = @(Get-RenkuSession -Kubeconfig $script:kubeconfig -State Failed)
        $failed.Count | Should -BeGreaterThan 0
        $failed | ForEach-Object { $_.State | Should -Be 'Failed' }
        $failed | ForEach-Object { $_.RestartCount | Should -BeGreaterThan 0 }
    }

    It 'selects the sessions of piped launchers' {
        $launcher = [pscustomobject]@{ PSTypeName = 'Renku.PowerShell.SessionLauncher'; Id = '01JLAUNCHER000000000000000'; EnvironmentId = 'ENV1'; ProjectId = 'P' }
        $sessions = @($launcher | Get-RenkuSession -Kubeconfig $script:kubeconfig)
        $sessions.Count | Should -Be 4
        $sessions | ForEach-Object { $_.EnvironmentId | Should -Be 'ENV1' }
    }

    It 'selects the sessions of a piped environment by image' {
        $environment = [pscustomobject]@{ PSTypeName = 'Renku.PowerShell.GlobalEnvironment'; Id = 'ENV1'; Name = 'Python'; Image = 'ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3' }
        @($environment | Get-RenkuSession -Kubeconfig $script:kubeconfig).Count | Should -Be 20
    }

    It 'filters images with wildcards' {
        @(Get-RenkuSession -Kubeconfig $script:kubeconfig -Image '*py-basic-jupyterlab*').Count | Should -Be 20
        @(Get-RenkuSession -Kubeconfig $script:kubeconfig -Image '*vscodium*').Count | Should -Be 0
    }

    It 'says KubernetesConfigurationInvalid for an unknown context' {
        { Get-RenkuSession -Kubeconfig $script:kubeconfig -Context 'no-such-context' -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubernetesConfigurationInvalid,Renku.PowerShell.Commands.Sessions.GetRenkuSessionCommand'
    }

    It 'says KubernetesUnreachable when nothing listens' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $unreachable = Join-Path $script:work 'unreachable'
        (Get-Content $script:kubeconfig -Raw) -replace 'http://127\.0\.0\.1:\d+', "http://127.0.0.1:$port" | Set-Content $unreachable
        { Get-RenkuSession -Kubeconfig $unreachable -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubernetesUnreachable,Renku.PowerShell.Commands.Sessions.GetRenkuSessionCommand'
    }

    It 'says UnsupportedSessionInput for other piped objects' {
        $result = [pscustomobject]@{ Name = 'x' } | Get-RenkuSession -Kubeconfig $script:kubeconfig -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'UnsupportedSessionInput,Renku.PowerShell.Commands.Sessions.GetRenkuSessionCommand'
    }
}
