using System.Management.Automation;
using System.Security;

using Renku.PowerShell.TestServers;

using Xunit;

namespace Renku.PowerShell.Tests.Environments;

/// <summary>The connection and environment cmdlets against the fake Renku deployment, through real pipelines.</summary>
public sealed class EnvironmentCmdletTests : IDisposable
{
    private const string Image = "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3";

    private readonly RenkuTestServer server = RenkuTestServer.Start();

    public void Dispose()
    {
        // Everything the tests started goes first, so a failed contract check leaves nothing behind;
        // the check then also sees any exchange that came in late.
        server.Dispose();

        // Every exchange of every test must have followed the published contract.
        Assert.Empty(server.Contract.Violations);
    }

    [Fact]
    public void ConnectWithAccessTokenReportsUserAndVersionAndStoresTheConnection()
    {
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuConnection").ShouldSucceed();
        PSObject connection = Assert.Single(result.Output);
        Assert.Equal("Renku.PowerShell.RenkuConnection", connection.TypeNames[0]);
        Assert.Equal("admin", connection.Properties["UserName"].Value);
        Assert.Equal(true, connection.Properties["IsAdmin"].Value);
        Assert.Equal("0.79.0", connection.Properties["DataServiceVersion"].Value);
        Assert.NotNull(connection.Properties["TokenExpiry"].Value);
        Assert.True(server.Contract.ResponsesChecked >= 2);
    }

    [Fact]
    public void AnInvalidTokenIsRenkuUnauthorizedAndANonAdminGetsAWarning()
    {
        var bad = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token", token: "not-a-token");
        Assert.StartsWith("RenkuUnauthorized,", Assert.Single(bad.ErrorIds), StringComparison.Ordinal);

        var jane = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token", user: "jane");
        Assert.Single(jane.Warnings);
        Assert.Equal(false, Assert.Single(jane.Output).Properties["IsAdmin"].Value);

        var refused = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; New-RenkuGlobalEnvironment -Name X -Image $image", user: "jane");
        Assert.StartsWith("RenkuAdminRequired,", Assert.Single(refused.ErrorIds), StringComparison.Ordinal);
        Assert.Equal(0, server.Data.Writes);
    }

    [Fact]
    public void TheTokenCanComeFromTheEnvironment()
    {
        // Process-wide variable: this is the only test that sets it, and it always clears it.
        Environment.SetEnvironmentVariable("RENKU_ACCESS_TOKEN", server.Keycloak.IssueAccessToken("admin"));
        try
        {
            var result = ModuleHost.Run("(Connect-RenkuInstance -Uri $uri).UserName", new Dictionary<string, object?> { ["uri"] = server.Uri }).ShouldSucceed();
            Assert.Equal("admin", Assert.Single(result.Output).BaseObject);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RENKU_ACCESS_TOKEN", null);
        }

        var missing = ModuleHost.Run("Connect-RenkuInstance -Uri $uri", new Dictionary<string, object?> { ["uri"] = server.Uri });
        Assert.StartsWith("RenkuCredentialRequired,", Assert.Single(missing.ErrorIds), StringComparison.Ordinal);
    }

    [Fact]
    public void CmdletsWithoutAConnectionSayRenkuNotConnected()
    {
        var result = ModuleHost.Run("Get-RenkuGlobalEnvironment");
        Assert.StartsWith("RenkuNotConnected,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
    }

    [Fact]
    public void NewUsesRenkusSettingsForItsImagesAndGetFindsItByWildcard()
    {
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; New-RenkuGlobalEnvironment -Name 'Python basic' -Image $image | Out-Null; Get-RenkuGlobalEnvironment -Name 'py*'").ShouldSucceed();
        PSObject env = Assert.Single(result.Output);
        Assert.Equal("Renku.PowerShell.GlobalEnvironment", env.TypeNames[0]);
        Assert.Equal(8888, env.Properties["Port"].Value);
        Assert.Equal("/", env.Properties["DefaultUrl"].Value);
        Assert.Equal("/home/renku/work", env.Properties["WorkingDirectory"].Value);
        Assert.Equal("/home/renku/work", env.Properties["MountDirectory"].Value);
        Assert.Equal(Image, env.Properties["container_image"].Value);
        Assert.Equal(1, server.Contract.RequestsChecked);
    }

    [Fact]
    public void PipelineSetSendsOnlyChangedFieldsAndPassesThrough()
    {
        server.Data.AddEnvironment("Python 1", Image, port: 8080);
        server.Data.AddEnvironment("Python 2", Image, port: 8888);
        server.Data.AddEnvironment("R", "rocker/rstudio:4.4", port: 8080);
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment -Name 'Py*' | Set-RenkuGlobalEnvironment -Port 8888 -PassThru").ShouldSucceed();
        Assert.Equal(new[] { 8888, 8888 }, result.Output.Select(o => (int)o.Properties["Port"].Value).ToArray());
        Assert.Equal(1, server.Data.Writes);
        Assert.Contains(server.Data.Requests, r => r.StartsWith("PATCH /environments/", StringComparison.Ordinal));
        Assert.Equal(8080, (int)server.Data.Environments.Single(e => (string)e["name"]! == "R")["port"]!);
    }

    [Fact]
    public void ClearingFollowsTheApiRules()
    {
        string id = server.Data.AddEnvironment("Py", Image, workingDirectory: "/home/renku/work", command: new[] { "bash" }, args: new[] { "-c", "sleep" });
        Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Set-RenkuGlobalEnvironment -Id $id -WorkingDirectory '' -Command $null -Arguments @() -Archive", extra: new() { ["id"] = id }).ShouldSucceed();
        var stored = server.Data.Environments.Single();
        Assert.Null(stored["working_directory"]);
        Assert.Null(stored["command"]);
        Assert.Null(stored["args"]);
        Assert.True((bool)stored["is_archived"]!);
    }

    [Fact]
    public void WhatIfSendsNoWriteAnywhere()
    {
        string id = server.Data.AddEnvironment("Python", Image);
        var file = Path.Combine(Path.GetTempPath(), $"renku-envs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "environments:\n  - name: New one\n    container_image: python:3.12\n");
        try
        {
            var result = Run(@"Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null
                New-RenkuGlobalEnvironment -Name X -Image $image -WhatIf
                Get-RenkuGlobalEnvironment | Set-RenkuGlobalEnvironment -Port 9999 -WhatIf
                Remove-RenkuGlobalEnvironment -Id $id -WhatIf
                Sync-RenkuGlobalEnvironment -Path $file -Prune -AllowLargePrune -WhatIf", extra: new() { ["id"] = id, ["file"] = file }).ShouldSucceed();
            Assert.Equal(0, server.Data.Writes);
            var plan = result.Output.Select(o => o.Properties["Action"].Value.ToString()).ToArray();
            Assert.Equal(new[] { "Create", "Archive" }, plan);
            Assert.All(result.Output, o => Assert.Equal(false, o.Properties["Applied"].Value));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void RemoveRefusesEnvironmentsInUseAndReportsMissingOnes()
    {
        string used = server.Data.AddEnvironment("Used", Image);
        string free = server.Data.AddEnvironment("Free", Image);
        server.Data.AddLauncher("Team notebook", used);
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Remove-RenkuGlobalEnvironment -Id $used, $free, '01HZ5Q3K8M0000000000000000' -Force -PassThru", extra: new() { ["used"] = used, ["free"] = free });
        Assert.Equal(new[] { "EnvironmentInUse", "EnvironmentNotFound" }, result.ErrorIds.Select(e => e.Split(',')[0]).ToArray());
        Assert.Contains("Team notebook", result.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.Equal("Free", Assert.Single(result.Output).Properties["Name"].Value);
        Assert.Equal(new[] { "Used" }, server.Data.Environments.Select(e => (string)e["name"]!).ToArray());
        Assert.Equal(1, server.Data.Writes);
    }

    [Fact]
    public void EnvironmentsPipeIntoGetRenkuSessionLauncher()
    {
        string used = server.Data.AddEnvironment("Python", Image);
        server.Data.AddEnvironment("Other", Image);
        server.Data.AddLauncher("Notebook", used);
        server.Data.AddLauncher("Custom", null);
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment -Name Python | Get-RenkuSessionLauncher").ShouldSucceed();
        PSObject launcher = Assert.Single(result.Output);
        Assert.Equal("Renku.PowerShell.SessionLauncher", launcher.TypeNames[0]);
        Assert.Equal("GLOBAL", launcher.Properties["EnvironmentKind"].Value);
        Assert.Equal(Image, launcher.Properties["EnvironmentImage"].Value);
    }

    [Theory]
    [InlineData("-Name '' -Image $image", "InvalidEnvironmentName")]
    [InlineData("-Name ('x' * 100) -Image $image", "InvalidEnvironmentName")]
    [InlineData("-Name A -Image 'Bad/UPPER:tag'", "InvalidEnvironmentImage")]
    [InlineData("-Name A -Image 'ab'", "InvalidEnvironmentImage")]
    [InlineData("-Name A -Image $image -Port 65400", "InvalidEnvironmentPort")]
    [InlineData("-Name A -Image $image -Port 0", "InvalidEnvironmentPort")]
    [InlineData("-Name A -Image $image -Uid 0", "InvalidEnvironmentUid")]
    [InlineData("-Name A -Image $image -Gid 70000", "InvalidEnvironmentGid")]
    [InlineData("-Name A -Image $image -Description ('d' * 501)", "InvalidEnvironmentDescription")]
    [InlineData("-Name A -Image $image -DefaultUrl ('/' * 201)", "InvalidEnvironmentDefaultUrl")]
    [InlineData("-Name A -Image $image -WorkingDirectory 'work'", "InvalidEnvironmentWorkingDirectory")]
    [InlineData("-Name A -Image $image -MountDirectory 'data'", "InvalidEnvironmentMountDirectory")]
    [InlineData("-Name A -Image $image -Command @()", "InvalidEnvironmentCommand")]
    [InlineData("-Name A -Image $image -Arguments @()", "InvalidEnvironmentArguments")]
    public void BadInputNamesTheParameterAndSendsNothing(string arguments, string errorId)
    {
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; New-RenkuGlobalEnvironment " + arguments);
        Assert.Equal(errorId + ",Renku.PowerShell.Commands.Environments.NewRenkuGlobalEnvironmentCommand", Assert.Single(result.ErrorIds));
        Assert.Equal(0, server.Data.Writes);
    }

    [Theory]
    [InlineData("Set-RenkuGlobalEnvironment -Id 'nope' -Port 1", "InvalidEnvironmentId")]
    [InlineData("Set-RenkuGlobalEnvironment -Id $id -Port 70000", "InvalidEnvironmentPort")]
    [InlineData("Set-RenkuGlobalEnvironment -Id $id -Archive -Unarchive", "ConflictingArchiveSwitches")]
    [InlineData("Set-RenkuGlobalEnvironment -Id '01HZ5Q3K8M0000000000000000' -Port 1", "EnvironmentNotFound")]
    [InlineData("Get-RenkuGlobalEnvironment -Id 'nope'", "InvalidEnvironmentId")]
    [InlineData("Get-RenkuGlobalEnvironment -Name 'Nothing'", "EnvironmentNotFound")]
    [InlineData("Get-RenkuSessionLauncher -ProjectId 'x'", "InvalidProjectId")]
    [InlineData("Sync-RenkuGlobalEnvironment -Path '/nonexistent/envs.yaml'", "EnvironmentFileNotFound")]
    public void MoreBadInput(string script, string errorId)
    {
        string id = server.Data.AddEnvironment("Python", Image);
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; " + script, extra: new() { ["id"] = id });
        Assert.Equal(errorId, Assert.Single(result.ErrorIds).Split(',')[0]);
        Assert.Equal(0, server.Data.Writes);
    }

    [Fact]
    public void ApiErrorsCarryTheApiCodeAndMessage()
    {
        string id = server.Data.AddEnvironment("Python", Image);
        server.Data.FailNext("PATCH", 409, "The environment was changed by someone else.");
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Set-RenkuGlobalEnvironment -Id $id -Port 1234", extra: new() { ["id"] = id });
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("RenkuConflict,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(1409, error.Exception.GetType().GetProperty("ApiCode")!.GetValue(error.Exception));
        Assert.Contains("changed by someone else", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnExpiredTokenMidRunIsRenewedOnceThenReported()
    {
        string id = server.Data.AddEnvironment("Python", Image);
        var result = Run(@"$c = Connect-RenkuInstance -Uri $uri -ClientCredential $cred
            $server.Keycloak.RevokeAccessTokens()
            Set-RenkuGlobalEnvironment -Id $id -Port 1234 -PassThru", extra: new() { ["id"] = id, ["cred"] = Credential(FakeKeycloak.AdminClient, FakeKeycloak.AdminClientSecret), ["server"] = server }).ShouldSucceed();
        Assert.Equal(1234, Assert.Single(result.Output).Properties["Port"].Value);
        Assert.Equal(2, server.Keycloak.GrantCounts["client_credentials"]);

        var stale = Run(@"Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null
            $server.Keycloak.RevokeAccessTokens()
            Set-RenkuGlobalEnvironment -Id $id -Port 4321", extra: new() { ["id"] = id, ["server"] = server });
        Assert.StartsWith("RenkuUnauthorized,", Assert.Single(stale.ErrorIds), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceCodeFlowEndToEndWithSlowDownAndRefresh()
    {
        // One slow_down answer costs the client five more seconds between polls (RFC 8628).
        server.Keycloak.SlowDownPolls = 1;
        server.Keycloak.AccessTokenLifetime = TimeSpan.FromSeconds(2);
        string id = server.Data.AddEnvironment("Python", Image);
        var run = Task.Run(() => Run(@"Connect-RenkuInstance -Uri $uri -DeviceCode -Verbose -Debug | Out-Null
            [System.Threading.Thread]::Sleep(1500)
            Set-RenkuGlobalEnvironment -Id $id -Port 1234 -PassThru -Verbose -Debug", extra: new() { ["id"] = id }));
        string userCode = server.WaitForPendingUserCode(TimeSpan.FromSeconds(30));
        Thread.Sleep(300);
        server.Keycloak.Approve(userCode, "admin");
        var result = (await run).ShouldSucceed();
        Assert.Equal(1234, Assert.Single(result.Output).Properties["Port"].Value);
        Assert.Contains(result.Information, i => i.MessageData.ToString()!.Contains(userCode, StringComparison.Ordinal));
        Assert.True(server.Keycloak.DevicePolls >= 2);
        Assert.True(server.Keycloak.GrantCounts.TryGetValue("refresh_token", out int refreshes) && refreshes >= 1);
    }

    [Fact]
    public void AnUnapprovedDeviceCodeExpires()
    {
        server.Keycloak.DeviceCodeLifetime = TimeSpan.FromSeconds(1);
        var result = Run("Connect-RenkuInstance -Uri $uri -DeviceCode");
        Assert.StartsWith("DeviceAuthorizationExpired,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongClientSecretIsRenkuAuthenticationFailed()
    {
        var result = Run("Connect-RenkuInstance -Uri $uri -ClientCredential $cred", extra: new() { ["cred"] = Credential(FakeKeycloak.AdminClient, "wrong") });
        Assert.StartsWith("RenkuAuthenticationFailed,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionsCanBeNamedPerCommandAndDisconnected()
    {
        using var other = RenkuTestServer.Start();
        other.Data.AddEnvironment("Elsewhere", Image);
        server.Data.AddEnvironment("Here", Image);
        var result = Run(@"$here = Connect-RenkuInstance -Uri $uri -AccessToken $token
            $there = Connect-RenkuInstance -Uri $otherUri -AccessToken $otherToken
            (Get-RenkuGlobalEnvironment).Name
            (Get-RenkuGlobalEnvironment -Connection $here).Name
            Get-RenkuGlobalEnvironment -Connection $here | New-RenkuGlobalEnvironment -Connection $there | ForEach-Object { $_.Name }
            Connect-RenkuInstance -Connection $here | Out-Null
            (Get-RenkuGlobalEnvironment).Name
            Disconnect-RenkuInstance
            Get-RenkuConnection
            Get-RenkuGlobalEnvironment", extra: new() { ["otherUri"] = other.Uri, ["otherToken"] = Secure(other.Keycloak.IssueAccessToken("admin")) });
        Assert.Equal(new object[] { "Elsewhere", "Here", "Here", "Here" }, result.Output.Select(o => o.BaseObject).ToArray());
        // Get-RenkuConnection answers "none" with nothing; a cmdlet that needs a connection says so.
        Assert.StartsWith("RenkuNotConnected,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
        Assert.Equal(new[] { "Elsewhere", "Here" }, other.Data.Environments.Select(e => (string)e["name"]!).ToArray());
        Assert.Empty(other.Contract.Violations);
    }

    [Fact]
    public void ANonAdminIsWarnedThatLaunchersAreFiltered()
    {
        string id = server.Data.AddEnvironment("Python", Image);
        server.Data.AddLauncher("Mine", id, members: "jane");
        server.Data.AddLauncher("Theirs", id);
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token -WarningAction SilentlyContinue | Out-Null; Get-RenkuSessionLauncher", user: "jane").ShouldSucceed();
        Assert.Equal("Mine", Assert.Single(result.Output).Properties["Name"].Value);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void ArchivedEnvironmentsAreHiddenUnlessAskedForAndCanBeUnarchived()
    {
        string id = server.Data.AddEnvironment("Old", Image, archived: true);
        var result = Run(@"Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null
            @(Get-RenkuGlobalEnvironment).Count
            Get-RenkuGlobalEnvironment -IncludeArchived | Set-RenkuGlobalEnvironment -Unarchive -PassThru | ForEach-Object { $_.IsArchived }
            @(Get-RenkuGlobalEnvironment).Count").ShouldSucceed();
        Assert.Equal(new object[] { 0, false, 1 }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void RemoveChecksTheTokenBeforeTrustingTheLauncherList()
    {
        string used = server.Data.AddEnvironment("Used", Image);
        server.Data.AddLauncher("Private notebook", used, members: "admin");
        var result = Run(@"Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null
            $server.Keycloak.RevokeAccessTokens()
            Remove-RenkuGlobalEnvironment -Id $used -Force", extra: new() { ["used"] = used, ["server"] = server });
        Assert.StartsWith("RenkuUnauthorized,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
        Assert.Equal(0, server.Data.Writes);
    }

    [Fact]
    public void SyncWithPruneAndRemoveKeepsEnvironmentsInUse()
    {
        string used = server.Data.AddEnvironment("Used", Image);
        server.Data.AddEnvironment("Unused", Image);
        server.Data.AddLauncher("Notebook", used);
        string file = Path.Combine(Path.GetTempPath(), $"renku-envs-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{ \"environments\": [] }");
        try
        {
            // A host that cannot ask (this runspace has no user interface) is refused, and nothing is sent.
            var unconfirmed = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file -Prune -Remove -AllowEmpty -AllowLargePrune", extra: new() { ["file"] = file });
            Assert.StartsWith("ConfirmationRequired,", Assert.Single(unconfirmed.ErrorIds), StringComparison.Ordinal);
            Assert.Equal(0, server.Data.Writes);

            var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file -Prune -Remove -AllowEmpty -AllowLargePrune -Force", extra: new() { ["file"] = file });
            Assert.StartsWith("EnvironmentInUse,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
            Assert.Equal(new[] { "Used" }, server.Data.Environments.Select(e => (string)e["name"]!).ToArray());
            Assert.Equal(new[] { "Remove:False", "Remove:True" }, result.Output.Select(o => o.Properties["Action"].Value + ":" + o.Properties["Applied"].Value).OrderBy(x => x, StringComparer.Ordinal).ToArray());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AnInvalidEnvironmentsFileSendsNothing()
    {
        string file = Path.Combine(Path.GetTempPath(), $"renku-envs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "environments:\n  - name: A\n    container_image: python:3.12\n    port: 70000\n  - name: B\n    container_image: python:3.12\n    colour: blue\n");
        string dup = Path.ChangeExtension(file, ".yml");
        File.WriteAllText(dup, "environments:\n  - name: A\n    container_image: python:3.12\n  - name: A\n    container_image: python:3.11\n");
        try
        {
            var unknownKey = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file", extra: new() { ["file"] = file });
            // Every problem of the file in one run, each its own error, then the terminating summary.
            Assert.Equal(new[] { "InvalidEnvironmentPort", "EnvironmentFileUnknownKey", "EnvironmentFileInvalid" }, unknownKey.ErrorIds.Select(e => e.Split(',')[0]).ToArray());
            File.WriteAllText(file, "environments:\n  - name: A\n    container_image: python:3.12\n    port: 70000\n");
            var badPort = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file", extra: new() { ["file"] = file });
            Assert.Equal(new[] { "InvalidEnvironmentPort", "EnvironmentFileInvalid" }, badPort.ErrorIds.Select(e => e.Split(',')[0]).ToArray());
            var duplicate = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $dup", extra: new() { ["dup"] = dup });
            Assert.Equal(new[] { "DuplicateEnvironmentName", "EnvironmentFileInvalid" }, duplicate.ErrorIds.Select(e => e.Split(',')[0]).ToArray());
            Assert.Contains($"is also the name of environments[0] ({dup}, line 2)", duplicate.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Equal(0, server.Data.Writes);
        }
        finally
        {
            File.Delete(file);
            File.Delete(dup);
        }
    }

    [Fact]
    public async Task DeniedDeviceCodeIsDeviceAuthorizationDenied()
    {
        var run = Task.Run(() => Run("Connect-RenkuInstance -Uri $uri -DeviceCode"));
        server.Keycloak.Deny(server.WaitForPendingUserCode(TimeSpan.FromSeconds(30)));
        var result = (await run);
        Assert.StartsWith("DeviceAuthorizationDenied,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
    }

    [Fact]
    public void TokensNeverAppearInAnyStream()
    {
        string token = server.Keycloak.IssueAccessToken("admin");
        string id = server.Data.AddEnvironment("Python", Image);
        var result = ModuleHost.Run(@"
            $c = Connect-RenkuInstance -Uri $uri -AccessToken $token -Verbose -Debug
            $c | ForEach-Object { $_.PSObject.Properties | ForEach-Object { [string]$_.Value } }
            Get-RenkuGlobalEnvironment -Verbose -Debug | Set-RenkuGlobalEnvironment -Port 1234 -Verbose -Debug -PassThru
            Set-RenkuGlobalEnvironment -Id $id -Port 70000 -Verbose -Debug
            $server.Keycloak.RevokeAccessTokens()
            Set-RenkuGlobalEnvironment -Id $id -Port 4321 -Verbose -Debug
            Connect-RenkuInstance -Uri $uri -ClientCredential $cred -Verbose -Debug",
            Variables(token, new() { ["id"] = id, ["server"] = server, ["cred"] = Credential(FakeKeycloak.AdminClient, FakeKeycloak.AdminClientSecret) }));
        Assert.NotEmpty(result.Debug);
        string all = result.AllText();
        Assert.DoesNotContain(token, all, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], all, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeKeycloak.AdminClientSecret, all, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", all, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportThenSyncCreatesUpdatesPrunesAndASecondSyncIsUnchanged()
    {
        server.Data.AddEnvironment("Python", Image, port: 8080);
        server.Data.AddEnvironment("Stale", "rocker/rstudio:4.4");
        string file = Path.Combine(Path.GetTempPath(), $"renku-envs-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, $"environments:\n  - name: Python\n    container_image: {Image}\n  - name: R\n    container_image: rocker/rstudio:4.4\n    port: 8787\n    default_url: /rstudio\n");
        string json = Path.ChangeExtension(file, ".json");
        try
        {
            var first = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file -Prune", extra: new() { ["file"] = file }).ShouldSucceed();
            var actions = first.Output.ToDictionary(o => (string)o.Properties["Name"].Value, o => o.Properties["Action"].Value.ToString());
            Assert.Equal("Update", actions["Python"]);
            Assert.Equal("Create", actions["R"]);
            Assert.Equal("Archive", actions["Stale"]);
            Assert.Equal("Renku.PowerShell.EnvironmentChange", first.Output[0].TypeNames[0]);

            var second = Run(@"Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null
                Sync-RenkuGlobalEnvironment -Path $file -Prune
                Export-RenkuGlobalEnvironment -Path $json | Out-Null
                Sync-RenkuGlobalEnvironment -Path $json -Prune", extra: new() { ["file"] = file, ["json"] = json }).ShouldSucceed();
            Assert.Equal(6, second.Output.Count);
            Assert.All(second.Output, o => Assert.Equal("Unchanged", o.Properties["Action"].Value.ToString()));
        }
        finally
        {
            File.Delete(file);
            File.Delete(json);
        }
    }

    [Fact]
    public void EnvironmentNamesComplete()
    {
        server.Data.AddEnvironment("Python basic", Image);
        server.Data.AddEnvironment("R", Image);
        var result = Run(@"Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null
            (TabExpansion2 -inputScript 'Get-RenkuGlobalEnvironment -Name Py' -cursorColumn 34).CompletionMatches | ForEach-Object { $_.CompletionText }").ShouldSucceed();
        Assert.Equal("'Python basic'", Assert.Single(result.Output).BaseObject);
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        return secure;
    }

    private static PSCredential Credential(string user, string secret)
    {
        var secure = new SecureString();
        foreach (char c in secret)
        {
            secure.AppendChar(c);
        }

        return new PSCredential(user, secure);
    }

    private PowerShellResult Run(string script, string user = "admin", string? token = null, Dictionary<string, object?>? extra = null) =>
        ModuleHost.Run(script, Variables(token ?? server.Keycloak.IssueAccessToken(user), extra));

    private Dictionary<string, object?> Variables(string token, Dictionary<string, object?>? extra)
    {
        var secure = new SecureString();
        foreach (char c in token)
        {
            secure.AppendChar(c);
        }

        var variables = new Dictionary<string, object?> { ["uri"] = server.Uri, ["token"] = secure, ["image"] = Image };
        foreach (var pair in extra ?? new())
        {
            variables[pair.Key] = pair.Value;
        }

        return variables;
    }
}
