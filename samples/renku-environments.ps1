<#
.SYNOPSIS
Keeps Renku's global environments as code: one script for the three stages of a CI loop.

.DESCRIPTION
  -Stage Scheduled    audits the environments file, checks each candidate image against Renku's
                      rules, writes the candidates that pass into the file, commits the change to a
                      branch, pushes it and opens a pull request whose body is a Markdown summary
                      (candidates, failed gates, links to the changed lines). GitHub: gh; Azure
                      Repos: az repos; anywhere else the request is written to -PullRequestPath.
  -Stage PullRequest  validates the file (every problem at once) and shows what
                      Sync-RenkuGlobalEnvironment would do (-WhatIf) as the job summary.
  -Stage Main         applies the file with Sync-RenkuGlobalEnvironment; needs -Apply.

The Renku token comes from the environment variable named by -TokenVariable (RENKU_TOKEN), which
the CI system fills from its secret store; it is never printed.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Scheduled', 'PullRequest', 'Main')]
    [string] $Stage,

    # The environments file, relative to the repository root.
    [string] $File = 'environments.yaml',

    [string] $RenkuUri = $env:RENKU_URI,

    # The environment variable that holds the Renku access token (from the CI secret store).
    [string] $TokenVariable = 'RENKU_TOKEN',

    [string] $BaseBranch = 'main',

    [string] $Branch = 'renku/image-upgrades',

    [ValidateSet('Patch', 'Minor', 'Major')]
    [string] $Level = 'Minor',

    # Where the pull request is written when no platform is reachable (not GitHub Actions or Azure Pipelines).
    [string] $PullRequestPath = 'pull-request.json',

    # Where the Markdown summary of a stage also goes (besides the job summary).
    [string] $SummaryPath,

    # Registries reached over plain HTTP (test registries only).
    [string[]] $InsecureRegistry,

    # Main stage: archive environments the file does not list.
    [switch] $Prune,

    # Main stage: the explicit confirmation that the file is to be applied to the platform.
    [switch] $Apply,

    # Imports the module from this path instead of by name (a build of the module under test).
    [string] $ModulePath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module ($ModulePath ? $ModulePath : 'Renku.PowerShell') -ErrorAction Stop

$registry = @{}
if ($InsecureRegistry) { $registry.InsecureRegistry = $InsecureRegistry }

function Invoke-Git {
    $output = & git @args 2>&1
    if ($LASTEXITCODE -ne 0) { throw "git $($args -join ' ') failed: $output" }
    $output
}

function Connect-Renku {
    $token = [Environment]::GetEnvironmentVariable($TokenVariable)
    if (-not $RenkuUri) { throw 'Give -RenkuUri (or set RENKU_URI).' }
    if (-not $token) { throw "The environment variable $TokenVariable holds no token; map it from the CI secret store." }
    Connect-RenkuInstance -Uri $RenkuUri -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) | Out-Null
}

function Write-Summary([string] $Markdown) {
    if ($SummaryPath) { Set-Content -Path $SummaryPath -Value $Markdown -Encoding utf8NoBOM }
    if ($env:GITHUB_STEP_SUMMARY) { Add-Content -Path $env:GITHUB_STEP_SUMMARY -Value $Markdown -Encoding utf8NoBOM }
    if ($env:TF_BUILD) {
        $path = Join-Path ([IO.Path]::GetTempPath()) "renku-$Stage-summary.md"
        Set-Content -Path $path -Value $Markdown -Encoding utf8NoBOM
        Write-Host "##vso[task.uploadsummary]$path"
    }
}

function Get-LineLink([int] $Line) {
    $path = $File -replace '\\', '/'
    if ($env:GITHUB_ACTIONS -eq 'true') {
        return "$env:GITHUB_SERVER_URL/$env:GITHUB_REPOSITORY/blob/$Branch/$path#L$Line"
    }

    if ($env:TF_BUILD) {
        return "$($env:SYSTEM_COLLECTIONURI)$([uri]::EscapeDataString($env:SYSTEM_TEAMPROJECT))/_git/$([uri]::EscapeDataString($env:BUILD_REPOSITORY_NAME))?path=/$path&version=GB$Branch&line=$Line"
    }

    "$path#L$Line"
}

function New-UpgradeBody($Applied, $Refused) {
    $lines = @("## Renku environment image upgrades", '', "File: ``$File``, level: $Level. Every candidate was checked against Renku's rules with the settings of its entry.", '')
    if ($Applied) {
        $lines += '### Candidates', '', '| Environment | Line | From | To |', '|---|---|---|---|'
        foreach ($update in $Applied) {
            $lines += "| $($update.EnvironmentName) | [$($update.Line)]($(Get-LineLink $update.Line)) | ``$($update.OldImage)`` | ``$($update.NewImage)`` |"
        }
        $lines += ''
    }

    if ($Refused) {
        $lines += '### Failed gates (left out)', '', '| Environment | Candidate | Rules | What failed |', '|---|---|---|---|'
        foreach ($update in $Refused) {
            $reason = ($update.Reason -replace '\|', '\|' -replace '\r?\n', ' ')
            $lines += "| $($update.EnvironmentName) | ``$($update.NewImage)`` | $($update.FailedRules -join ', ') | $reason |"
        }
        $lines += ''
    }

    $lines -join "`n"
}

function Open-PullRequest([string] $Title, [string] $Body) {
    $bodyFile = Join-Path ([IO.Path]::GetTempPath()) "renku-pr-body-$PID.md"
    Set-Content -Path $bodyFile -Value $Body -Encoding utf8NoBOM
    try {
        if ($env:GITHUB_ACTIONS -eq 'true') {
            # GH_TOKEN comes from the workflow (the job's GITHUB_TOKEN with pull-requests: write).
            $existing = gh pr list --head $Branch --base $BaseBranch --json number --jq '.[0].number'
            if ($existing) { gh pr edit $existing --title $Title --body-file $bodyFile }
            else { gh pr create --head $Branch --base $BaseBranch --title $Title --body-file $bodyFile }
            if ($LASTEXITCODE -ne 0) { throw 'gh could not open the pull request.' }
            return
        }

        if ($env:TF_BUILD) {
            # AZURE_DEVOPS_EXT_PAT comes from the pipeline (System.AccessToken); az reads it.
            az repos pr create --source-branch $Branch --target-branch $BaseBranch --title $Title --description "@$bodyFile" --output none
            if ($LASTEXITCODE -ne 0) { throw 'az repos could not open the pull request.' }
            return
        }

        # No platform to reach: write what would be sent.
        [ordered]@{ title = $Title; head = $Branch; base = $BaseBranch; body = $Body } |
            ConvertTo-Json | Set-Content -Path $PullRequestPath -Encoding utf8NoBOM
        Write-Host "No platform reachable: the pull request is in $PullRequestPath"
    }
    finally {
        Remove-Item -LiteralPath $bodyFile -ErrorAction SilentlyContinue
    }
}

switch ($Stage) {
    'Scheduled' {
        $rows = @(Get-RenkuImageUpgrade -Path $File -Level $Level -CheckCandidate @registry -WarningAction SilentlyContinue)
        $updates = @($rows | Update-RenkuImageTag -Confirm:$false -WarningAction SilentlyContinue)
        $applied = @($updates | Where-Object Applied)
        $refused = @($updates | Where-Object { -not $_.Applied -and $_.FailedRules.Count -gt 0 })
        $body = New-UpgradeBody $applied $refused
        Write-Summary $body
        if ($applied.Count -eq 0) {
            Write-Host 'No candidate to apply; no branch and no pull request.'
            return
        }

        $author = @()
        if (-not (git config user.email)) { $author = @('-c', 'user.name=renku-environments', '-c', 'user.email=renku-environments@localhost') }
        Invoke-Git checkout -B $Branch | Out-Null
        Invoke-Git add -- $File | Out-Null
        Invoke-Git @author commit -m "Renku environments: upgrade $($applied.Count) image(s)" -m (($applied | ForEach-Object { "$($_.EnvironmentName): $($_.OldImage) -> $($_.NewImage)" }) -join "`n") | Out-Null
        Invoke-Git push --force origin "HEAD:refs/heads/$Branch" | Out-Null
        Open-PullRequest "Renku environments: upgrade $($applied.Count) image(s)" $body
    }

    'PullRequest' {
        Connect-Renku
        # Sync checks the whole file first and reports every problem, then plans; -WhatIf sends nothing.
        $problems = [System.Collections.ArrayList]::new()
        $plan = @()
        try {
            $plan = @(Sync-RenkuGlobalEnvironment -Path $File -Prune:$Prune -WhatIf -ErrorAction SilentlyContinue -ErrorVariable +problems)
        }
        catch {
            # A file with problems stops the sync after naming each of them; the stop itself is one more record.
            if (-not ($problems | Where-Object { "$_" -eq "$($PSItem)" })) { [void]$problems.Add($PSItem) }
        }
        $lines = @("## Renku environments: what merging ``$File`` changes", '')
        if ($problems.Count -gt 0) {
            $lines += '### Problems', ''
            foreach ($problem in $problems) {
                $record = $problem -is [System.Management.Automation.ErrorRecord] ? $problem : $null
                $text = $record -and $record.ErrorDetails -and $record.ErrorDetails.Message ? $record.ErrorDetails.Message : ($record ? $record.Exception.Message : "$problem")
                $lines += "- $($text -replace '\r?\n', ' ')"
            }
            $lines += ''
        }

        $lines += '| Environment | Action | Changes |', '|---|---|---|'
        foreach ($change in $plan) {
            $fields = @($change.Changes | ForEach-Object { '`' + $_.ToString() + '`' }) -join '<br>'
            $lines += "| $($change.Name) | $($change.Action) | $fields |"
        }

        Write-Summary ($lines -join "`n")
        if ($problems.Count -gt 0) { throw "$File has $($problems.Count) problem(s); see the job summary." }
    }

    'Main' {
        if (-not $Apply) { throw 'The Main stage changes the platform: give -Apply to confirm.' }
        Connect-Renku
        $changes = @(Sync-RenkuGlobalEnvironment -Path $File -Prune:$Prune -Confirm:$false)
        $lines = @("## Renku environments applied from ``$File``", '', '| Environment | Action | Applied |', '|---|---|---|')
        $lines += $changes | ForEach-Object { "| $($_.Name) | $($_.Action) | $($_.Applied) |" }
        Write-Summary ($lines -join "`n")
        $changes
    }
}
