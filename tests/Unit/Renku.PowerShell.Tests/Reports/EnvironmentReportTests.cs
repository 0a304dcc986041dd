using System.Management.Automation;

using AngleSharp.Dom;
using AngleSharp.Html.Parser;

using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Reports;

/// <summary>
/// Get-RenkuEnvironmentReport over a fake Renku data API, a real loopback registry (behind a
/// counting proxy) and a fake Kubernetes API; the HTML page of Export-RenkuEnvironmentReport
/// opened in headless chromium.
/// </summary>
public sealed class EnvironmentReportTests : FakeRenkuTests, IAsyncLifetime
{
    private const string Fqid = ",Renku.PowerShell.Commands.Reports.GetRenkuEnvironmentReportCommand";

    private FaultProxy? proxy;
    private FakeKubernetesServer cluster = null!;
    private string kubeconfig = null!;

    public EnvironmentReportTests()
        : base("renku-ps-report-")
    {
    }

    public async Task InitializeAsync()
    {
        cluster = await FakeKubernetesServer.StartAsync();
        kubeconfig = cluster.WriteKubeconfig(Path.Combine(folder, "kubeconfig"));
    }

    public async Task DisposeAsync()
    {
        // The fake Renku, the registry and the folder go after this, in Dispose.
        proxy?.Dispose();
        await cluster.DisposeAsync();
    }

    /// <summary>The fleet: two environments share team/lab:1.0.0, one is archived but used, one unused, one fails compliance.</summary>
    private (string Lab, string Alpine, Dictionary<string, string> Ids) Seed()
    {
        RegistryServer registry = StartRegistry();
        using (var pusher = new RegistryPusher(registry.BaseUri))
        {
            pusher.Push("team/lab", "1.0.0", ComplianceImages.Session(seed: 1));
            pusher.Push("team/lab", "1.1.0", ComplianceImages.Session(seed: 2));
            pusher.Push("team/alpine", "3.20.0", ComplianceImages.Session(osId: "alpine", osVersion: "3.20"));
        }

        proxy = FaultProxy.Start(registry.BaseUri);
        string lab = proxy.Host + "/team/lab";
        string alpine = proxy.Host + "/team/alpine:3.20.0";
        foreach (string image in new[] { lab + ":1.0.0", lab + ":1.1.0", alpine })
        {
            renku.Data.SetImageCheck(image, accessible: true, null, "linux/amd64");
        }

        var ids = new Dictionary<string, string>
        {
            ["Python"] = renku.Data.AddEnvironment("Python", lab + ":1.0.0", port: 8888, defaultUrl: "/", workingDirectory: "/home/renku/work", mountDirectory: "/home/renku/work"),
            ["Python GPU"] = renku.Data.AddEnvironment("Python GPU", lab + ":1.0.0", port: 8888, defaultUrl: "/", workingDirectory: "/home/renku/work", mountDirectory: "/home/renku/work"),
            ["Alpine"] = renku.Data.AddEnvironment("Alpine", alpine, port: 8888, defaultUrl: "/", workingDirectory: "/home/renku/work", mountDirectory: "/home/renku/work"),
            ["Old"] = renku.Data.AddEnvironment("Old", lab + ":1.1.0", port: 8888, defaultUrl: "/", archived: true, workingDirectory: "/home/renku/work", mountDirectory: "/home/renku/work", command: new[] { "python", "nightly.py" }),
            ["Unused"] = renku.Data.AddEnvironment("Unused <b>bold</b>", lab + ":1.1.0", port: 8888, defaultUrl: "/", workingDirectory: "/home/renku/work", mountDirectory: "/home/renku/work"),
        };
        string python = renku.Data.AddLauncher("Python launcher", ids["Python"]);
        renku.Data.AddLauncher("GPU launcher", ids["Python GPU"]);
        string alpineLauncher = renku.Data.AddLauncher("Alpine launcher", ids["Alpine"]);
        renku.Data.AddLauncher("Old launcher", ids["Old"], launcherType: "non-interactive");

        cluster.AddSession(new FakeSession { Name = "s-python", LauncherId = python, Image = lab + ":1.0.0", RestartCount = 7 });
        cluster.AddSession(new FakeSession { Name = "s-alpine", LauncherId = alpineLauncher, Image = alpine, State = "Failed", Error = "crashed", Ready = 1 });
        cluster.AddSession(new FakeSession { Name = "s-other", Image = "python:3.12" });
        return (lab, alpine, ids);
    }

    protected override Dictionary<string, object?> Variables() => new() { ["kubeconfig"] = kubeconfig, ["folder"] = folder };

    private static PSObject Row(PowerShellResult result, string name) => result.Output.Single(o => (string)o.Properties["Name"].Value == name);

    private static T Value<T>(PSObject row, string property) => (T)LanguagePrimitives.ConvertTo(row.Properties[property].Value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public void OneRowPerEnvironmentJoinsEveryFindingAndReadsEachRepositoryAndImageOnce()
    {
        (string lab, _, Dictionary<string, string> ids) = Seed();
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuEnvironmentReport -Kubeconfig $kubeconfig -RecordDigest ($folder + '/digests.json')").ShouldSucceed();

        Assert.Equal(5, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal("Renku.PowerShell.EnvironmentReport", o.TypeNames[0]));

        PSObject python = Row(result, "Python");
        Assert.Equal(ids["Python"], Value<string>(python, "Id"));
        Assert.True("Passed" == python.Properties["ComplianceVerdict"].Value.ToString(), string.Join("; ", ((System.Collections.IEnumerable)PSObject.AsPSObject(python.Properties["Compliance"].Value).Properties["Failures"].Value).Cast<object>().Select(f => f.ToString())));
        Assert.Equal("MinorAvailable", python.Properties["UpgradeStatus"].Value.ToString());
        Assert.Equal("1.1.0", Value<string>(python, "Candidate"));
        Assert.False(Value<bool>(python, "DigestChanged"));
        Assert.Equal(1, Value<int>(python, "LauncherCount"));
        Assert.Equal(7, Value<int>(python, "Restarts"));
        Assert.Equal(1, Value<int>(python, "RunningSessions"));
        Assert.Equal("Warning", python.Properties["Status"].Value.ToString());

        PSObject alpine = Row(result, "Alpine");
        Assert.Equal("Failed", alpine.Properties["ComplianceVerdict"].Value.ToString());
        Assert.Contains("RKC001", ((System.Collections.IEnumerable)alpine.Properties["FailingRules"].Value).Cast<object>().Select(o => o.ToString()));
        Assert.Equal("Failure", alpine.Properties["Status"].Value.ToString());
        Assert.Equal(0, Value<int>(alpine, "RunningSessions"));

        PSObject old = Row(result, "Old");
        Assert.True(Value<bool>(old, "IsArchived"));
        Assert.True(Value<bool>(old, "ArchivedButUsed"));
        Assert.Equal("UpToDate", old.Properties["UpgradeStatus"].Value.ToString());

        // Its only launcher is non-interactive: it is judged as a job, which has the command Renku requires.
        PSObject oldCompliance = PSObject.AsPSObject(old.Properties["Compliance"].Value);
        Assert.Equal("Job", oldCompliance.Properties["SessionKind"].Value.ToString());
        Assert.Equal("Job", old.Properties["SessionKind"].Value.ToString());
        PSObject jobRule = ((System.Collections.IEnumerable)oldCompliance.Properties["Results"].Value).Cast<object>().Select(PSObject.AsPSObject).Single(r => (string)r.Properties["RuleId"].Value == "RKS006");
        Assert.Equal("Pass", jobRule.Properties["Outcome"].Value.ToString());
        Assert.Contains("python nightly.py", (string)jobRule.Properties["Message"].Value, StringComparison.Ordinal);
        Assert.Equal("Interactive", PSObject.AsPSObject(python.Properties["Compliance"].Value).Properties["SessionKind"].Value.ToString());

        PSObject unused = Row(result, "Unused <b>bold</b>");
        Assert.True(Value<bool>(unused, "Unused"));
        Assert.Equal("Info", unused.Properties["Status"].Value.ToString());
        Assert.Contains("unused", ((System.Collections.IEnumerable)unused.Properties["Findings"].Value).Cast<object>().Select(o => o.ToString()));

        // One tag listing per repository, one inspection per distinct image: team/lab:1.0.0 is
        // shared by two environments and read once (its manifest; 1.1.0 is also the candidate,
        // whose digest the audit asks for, and a tag in the digest record).
        TestSupport.Parts.RecordedRequest[] requests = proxy!.Requests.ToArray();
        Assert.Equal(1, requests.Count(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/v2/team/lab/tags/list", StringComparison.Ordinal)));
        Assert.Equal(1, requests.Count(r => r.Method == "GET" && r.PathAndQuery.StartsWith("/v2/team/alpine/tags/list", StringComparison.Ordinal)));
        int labManifestReads = requests.Count(r => r.Method == "GET" && r.PathAndQuery == "/v2/team/lab/manifests/1.0.0");
        Assert.True(labManifestReads <= 2, $"team/lab:1.0.0's manifest was read {labManifestReads} times: once to inspect, once for the digest record");

        // Renku's own pull check: once per distinct image, one launcher listing.
        Assert.Equal(3, renku.Data.Requests.Count(r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("/sessions/images", StringComparison.Ordinal)));
        Assert.Equal(1, renku.Data.Requests.Count(r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("/session_launchers", StringComparison.Ordinal)));

        // Without the record the shared image is read exactly once.
        int before = proxy.Requests.Count;
        Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuEnvironmentReport").ShouldSucceed();
        TestSupport.Parts.RecordedRequest[] second = proxy.Requests.Skip(before).ToArray();
        Assert.Equal(1, second.Count(r => r.Method == "GET" && r.PathAndQuery == "/v2/team/lab/manifests/1.0.0"));
        Assert.Contains(result.Progress, p => p.Activity == "Reporting on global environments" && p.StatusDescription.Contains("of 2 repositories", StringComparison.Ordinal));
        Assert.Contains(lab, Value<string>(python, "Image"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void PipedEnvironmentsAreReportedAloneAndWithoutAClusterSessionsAreNotAsked()
    {
        Seed();
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment -Name 'Python*' | Get-RenkuEnvironmentReport").ShouldSucceed();
        Assert.Equal(new[] { "Python", "Python GPU" }, result.Output.Select(o => (string)o.Properties["Name"].Value).Order(StringComparer.Ordinal).ToArray());
        Assert.All(result.Output, o => Assert.Null(o.Properties["Sessions"].Value));
        Assert.All(result.Output, o => Assert.Null(o.Properties["DigestChanged"].Value));
        Assert.Empty(cluster.Requests);
    }

    [Fact]
    public void WithoutAConnectionNothingIsRead()
    {
        var result = ModuleHost.Run("Get-RenkuEnvironmentReport");
        Assert.Equal(new[] { "RenkuNotConnected" + Fqid }, result.ErrorIds);
    }

    [SkippableFact]
    public void ANonAdminIsWarnedThatLaunchersMayBeMissing()
    {
        Seed();
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuEnvironmentReport", user: "jane").ShouldSucceed();
        Assert.Contains(result.Warnings, w => w.Contains("not a Renku admin", StringComparison.Ordinal));
    }

    /// <summary>The page as people see it: chromium renders it, its script runs, the table holds every row and the failing cell says why.</summary>
    [SkippableFact]
    public void TheHtmlPageRendersInChromiumWithARowPerEnvironmentAndItsFailingCells()
    {
        HeadlessChromium.Require();
        Seed();
        string page = Path.Combine(folder, "environments.html");
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuEnvironmentReport -Kubeconfig $kubeconfig -RecordDigest ($folder + '/digests.json') | Export-RenkuEnvironmentReport -Path ($folder + '/environments.html') -PassThru").ShouldSucceed();
        Assert.Equal(page, Assert.Single(result.Output).Properties["FullName"].Value);

        // Self-contained: nothing in the page can make the browser load anything.
        string html = File.ReadAllText(page);
        Assert.Contains("Content-Security-Policy", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);

        string url = new Uri(page).AbsoluteUri;
        IDocument rendered = new HtmlParser().ParseDocument(HeadlessChromium.DumpDom(url));
        Assert.Contains("js", rendered.DocumentElement.ClassList);
        IElement[] rows = rendered.QuerySelectorAll("#environments > tbody.environment").ToArray();
        Assert.Equal(5, rows.Length);
        Assert.Equal(new[] { "Environment", "Status", "Compliance", "Upgrade", "Digest", "Launchers", "Sessions" }, rendered.QuerySelectorAll("#environments > thead th").Select(th => th.TextContent.Trim()).ToArray());

        IElement alpine = rows.Single(r => r.QuerySelector(".env")!.TextContent == "Alpine");
        IElement compliance = alpine.QuerySelector("td.cell-compliance")!;
        Assert.StartsWith("Failed: ", compliance.TextContent, StringComparison.Ordinal);
        Assert.Contains("RKC001", compliance.TextContent, StringComparison.Ordinal);
        Assert.Contains("status-failure", compliance.ClassList);
        Assert.Contains("status-failure", alpine.QuerySelector("td.cell-sessions")!.ClassList);
        IElement rule = alpine.QuerySelector("tr.rule[data-rule='RKC001']")!;
        Assert.False(string.IsNullOrWhiteSpace(rule.QuerySelector("td.remedy")!.TextContent));
        Assert.DoesNotContain("open", alpine.ClassList);

        // Markup in a name is text, not markup.
        Assert.Contains(rows, r => r.QuerySelector(".env")!.TextContent == "Unused <b>bold</b>");
        Assert.Empty(rendered.QuerySelectorAll("#environments .env b"));

        // Summary bar: counts of the fleet.
        Assert.Equal("5", rendered.QuerySelector("[data-tile='total'] .count")!.TextContent);
        Assert.Equal("1", rendered.QuerySelector("[data-tile='failing'] .count")!.TextContent);
        Assert.Equal("1", rendered.QuerySelector("[data-tile='archived-used'] .count")!.TextContent);

        // The script sorts (worst status first) and expands rows.
        IDocument sorted = new HtmlParser().ParseDocument(HeadlessChromium.DumpDom(url + "#sort=status-desc&open=" + alpine.GetAttribute("data-id")));
        IElement[] order = sorted.QuerySelectorAll("#environments > tbody.environment").ToArray();
        Assert.Equal("Alpine", order[0].QuerySelector(".env")!.TextContent);
        Assert.Equal("descending", sorted.QuerySelector("th[data-key='status']")!.GetAttribute("aria-sort"));
        Assert.Contains("open", order[0].ClassList);
        Assert.Equal("true", order[0].QuerySelector(".toggle")!.GetAttribute("aria-expanded"));
        int[] ranks = order.Select(b => int.Parse(b.GetAttribute("data-status")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(ranks.OrderByDescending(r => r).ToArray(), ranks);

        // A screenshot people can look at, under out/.
        string shots = Path.Combine(RepoPaths.Root, "out", "screenshots");
        Directory.CreateDirectory(shots);
        string png = Path.Combine(shots, "environment-report.png");
        HeadlessChromium.Screenshot(url + "#sort=status-desc&open=" + alpine.GetAttribute("data-id"), png);
        byte[] header = File.ReadAllBytes(png).Take(8).ToArray();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, header);
    }
}
