<#
.SYNOPSIS
Starts the test servers on loopback for trying the module by hand, prints their addresses and
what to sign in with, and stops them on Ctrl+C.

.DESCRIPTION
Starts, in one process of tests/Parts (the process the Pester suite uses): a registry seeded with
session images (plain HTTP on 127.0.0.1, blobs served by nginx), the fake Renku data API with its
fake Keycloak realm, and the fake Kubernetes API with Renku sessions. It prints each address, the
seeded images, the fake Keycloak's clients and users, and the commands to connect, then waits.
Ctrl+C (or closing the terminal) stops the servers and removes what they wrote.

Build first: dotnet build. The registry needs Debian's docker-registry and nginx-light; the fake
Renku API reads the OpenAPI specs from ../shared/renku/api beside the checkout (RENKU_API_SPEC_DIR
names another folder). -Part docker adds a private Docker engine, which needs root.

.EXAMPLE
dotnet pwsh ./tests/Start-TestServers.ps1

.EXAMPLE
dotnet pwsh ./tests/Start-TestServers.ps1 -Part renku
#>
[CmdletBinding()]
param(
    # The servers to start.
    [ValidateSet('registry', 'renku', 'kubernetes', 'docker')]
    [string[]] $Part = @('registry', 'renku', 'kubernetes')
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'Pester/TestParts.psm1') -Force
$module = Get-StagedModulePath

Write-Host "Starting $($Part -join ', ') (the first start seeds the registry; it takes a minute) ..."
$parts = Start-TestPart -Name $Part
try {
    foreach ($missing in $parts.Missing.PSObject.Properties) {
        Write-Warning "$($missing.Name) did not start: $($missing.Value)"
    }

    Write-Host ''
    Write-Host "Import the module:   Import-Module $module"
    if ($parts.Registry) {
        Write-Host ''
        Write-Host "Registry             $($parts.Registry.host)  (plain HTTP on loopback, no credentials)"
        foreach ($image in $parts.Registry.images.PSObject.Properties) {
            Write-Host ('  {0,-18} {1}' -f $image.Name, $image.Value)
        }

        Write-Host "  try: Get-RenkuImage $($parts.Registry.images.compliant) | Test-RenkuImageCompliance"
        Write-Host "       Get-RenkuImageTag $($parts.Registry.images.versions)"
    }

    if ($parts.Renku) {
        $uri = $parts.Renku.uri
        Write-Host ''
        Write-Host "Renku (fake)         $uri"
        Write-Host "  Keycloak (fake)    ${uri}auth/realms/Renku  (made-up clients and users, for this fake only)"
        Write-Host "  client credentials client id '$($parts.Renku.clientId)', secret '$($parts.Renku.clientSecret)' (admin)"
        Write-Host "                     client id '$($parts.Renku.readerClientId)', secret '$($parts.Renku.readerClientSecret)' (not admin)"
        Write-Host "  device code        public client '$($parts.Renku.deviceClientId)'; approve with: Invoke-RestMethod -Method Post '${uri}_test/device/approve?user=admin'"
        Write-Host "  users              $($parts.Renku.users -join ', ') (admin is a Renku admin)"
        Write-Host "  connect:           Connect-RenkuInstance -Uri $uri -ClientCredential (Get-Credential $($parts.Renku.clientId))"
        Write-Host "     or, as a user:  `$t = (Invoke-RestMethod -Method Post '${uri}_test/token?user=admin').access_token"
        Write-Host "                     Connect-RenkuInstance -Uri $uri -AccessToken (ConvertTo-SecureString `$t -AsPlainText -Force)"
        Write-Host "  then:              New-RenkuGlobalEnvironment -Name Lab -Image python:3.12; Get-RenkuGlobalEnvironment"
    }

    if ($parts.Kubernetes) {
        Write-Host ''
        Write-Host "Kubernetes (fake)    kubeconfig $($parts.Kubernetes.kubeconfig), namespace $($parts.Kubernetes.namespace)"
        Write-Host "  try: Get-RenkuSession -Kubeconfig $($parts.Kubernetes.kubeconfig)"
    }

    if ($parts.Docker) {
        Write-Host ''
        Write-Host "Docker engine        $($parts.Docker.host)"
        Write-Host "  try: Test-RenkuImageCompliance $($parts.Docker.images.compliant) -Source Docker -Runtime Docker -DockerHost $($parts.Docker.host)"
    }

    Write-Host ''
    Write-Host "Logs: $($parts.Logs). Press Ctrl+C to stop the servers."
    while (-not $parts.Process.HasExited) {
        Start-Sleep -Seconds 1
    }

    Write-Warning "The servers' process ended by itself (exit code $($parts.Process.ExitCode)); see $($parts.Logs)."
}
finally {
    Stop-TestPart $parts
    Write-Host 'The test servers are stopped.'
}
