using System.Xml.Linq;

using Markdig;

using Renku.PowerShell.Compliance;
using Renku.PowerShell.Compliance.Reports;
using Renku.PowerShell.Dockerfiles;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Compliance;

/// <summary>The Markdown summary as a renderer shows it: rendered by Markdig (CommonMark with pipe tables, as GitHub and Azure DevOps read it).</summary>
public class MarkdownReportTests
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    private static readonly string Repo = Path.Combine(Path.GetTempPath(), "renku-md-repo");

    private static ComplianceReport Failing(string environment = "Python | *lab* <script>alert(1)</script>") => ComplianceEvaluator.Evaluate(new ComplianceRequest
    {
        Reference = ImageReference.Parse("ghcr.io/team/lab:latest"),
        Dockerfile = DockerfileDocument.Parse("FROM debian\nUSER root\n", Path.Combine(Repo, "images", "lab", "Dockerfile")),
        Settings = new SessionSettings { Name = environment, Port = 65500 },
    });

    private static ComplianceReport Passing() => ComplianceEvaluator.Evaluate(new ComplianceRequest
    {
        Dockerfile = DockerfileDocument.Parse("FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3\n", Path.Combine(Repo, "Dockerfile.good")),
        Settings = SessionSettings.RenkuDefaults,
    });

    /// <summary>The rendered HTML as an element tree (Markdig writes well-formed markup with XML's entities).</summary>
    private static XElement Render(string markdown) => XElement.Parse("<root>" + Markdown.ToHtml(markdown, Pipeline) + "</root>");

    private static string Text(XElement element) => string.Concat(element.DescendantNodes().OfType<XText>().Select(t => t.Value));

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void OneTableRowPerImageWithItsVerdictThenTheFailedRulesWithRemedies()
    {
        ComplianceReport failing = Failing();
        ComplianceReport passing = Passing();
        Assert.True(passing.Passed);
        string markdown = MarkdownReportWriter.Create(new[] { failing, passing }, ComplianceFailOn.Error, SourceLinks.For(_ => null, Repo));
        XElement html = Render(markdown);

        XElement table = Assert.Single(html.Descendants("table"));
        Assert.Equal(new[] { "", "Image", "Environment", "Verdict", "Errors", "Warnings" }, table.Descendants("th").Select(Text).ToArray());
        XElement[] rows = table.Element("tbody")!.Elements("tr").ToArray();
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Equal(6, r.Elements("td").Count()));

        string[] first = rows[0].Elements("td").Select(Text).ToArray();
        Assert.Equal("❌", first[0]);
        Assert.Equal("ghcr.io/team/lab:latest", first[1]);
        Assert.Equal("code", rows[0].Elements("td").ElementAt(1).Elements().Single().Name.LocalName);
        // Markup in a name is text: no cell split by its pipe, no element from its tags.
        Assert.Equal("Python | *lab* <script>alert(1)</script>", first[2]);
        Assert.Empty(html.Descendants("script"));
        ComplianceResult rule = failing.Results.Single(r => r.Outcome == ComplianceOutcome.Fail && r.Line == 2);
        Assert.Equal("Failed: " + string.Join(", ", failing.FailuresAt(ComplianceFailOn.Error).Select(r => r.RuleId)), first[3]);
        Assert.Contains(rule.RuleId, first[3], StringComparison.Ordinal);
        Assert.Equal(failing.ErrorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), first[4]);
        Assert.Equal(new[] { "✅", Path.Combine(Repo, "Dockerfile.good"), "(Renku defaults)", "Passed", "0", "0" }, rows[1].Elements("td").Select(Text).ToArray());

        // The verdict line counts the failing images.
        Assert.StartsWith("1 of 2 images failed", Text(html.Elements("p").First()), StringComparison.Ordinal);

        // Failed rules: one item per failed rule of the failing image, with its remedy.
        XElement list = html.Elements("ul").Single();
        XElement[] items = list.Elements("li").ToArray();
        Assert.Equal(failing.Failures.Count(), items.Length);
        XElement user = items.Single(i => Text(i).StartsWith(rule.RuleId + " ", StringComparison.Ordinal));
        Assert.Contains(rule.Message, Text(user), StringComparison.Ordinal);
        Assert.Equal("Remedy: " + rule.Remedy, Text(user.Descendants("li").Single()));

        // The Dockerfile line links relative to the report's folder outside CI.
        XElement link = user.Descendants("a").Single();
        Assert.Equal("images/lab/Dockerfile#L2", (string)link.Attribute("href")!);
        Assert.Equal("Dockerfile line 2", Text(link));
    }

    [Fact]
    public void DockerfileLinesLinkToTheCommitInGitHubAndAzureRepos()
    {
        ComplianceReport failing = Failing("Lab");
        var github = SourceLinks.For(Variables(("GITHUB_ACTIONS", "true"), ("GITHUB_SERVER_URL", "https://github.com"), ("GITHUB_REPOSITORY", "org/images"), ("GITHUB_SHA", "0123abc"), ("GITHUB_WORKSPACE", Repo)), "/tmp");
        string gitHubHref = (string)Render(MarkdownReportWriter.Create(new[] { failing }, ComplianceFailOn.Error, github)).Descendants("a").First().Attribute("href")!;
        Assert.Equal("https://github.com/org/images/blob/0123abc/images/lab/Dockerfile#L2", gitHubHref);

        var azure = SourceLinks.For(Variables(("TF_BUILD", "True"), ("BUILD_REPOSITORY_PROVIDER", "TfsGit"), ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/org/"), ("SYSTEM_TEAMPROJECT", "Data Science"), ("BUILD_REPOSITORY_NAME", "images"), ("BUILD_SOURCEVERSION", "0123abc"), ("BUILD_SOURCESDIRECTORY", Repo)), "/tmp");
        string azureHref = (string)Render(MarkdownReportWriter.Create(new[] { failing }, ComplianceFailOn.Error, azure)).Descendants("a").First().Attribute("href")!;
        Assert.Equal("https://dev.azure.com/org/Data%20Science/_git/images?version=GC0123abc&path=/images/lab/Dockerfile&line=2&lineEnd=3&lineStartColumn=1&lineEndColumn=1", azureHref);

        // A file outside the checkout has no link in CI, only its name and line.
        var elsewhere = SourceLinks.For(Variables(("GITHUB_ACTIONS", "true"), ("GITHUB_SERVER_URL", "https://github.com"), ("GITHUB_REPOSITORY", "org/images"), ("GITHUB_SHA", "0123abc"), ("GITHUB_WORKSPACE", Path.Combine(Repo, "other"))), "/tmp");
        XElement rendered = Render(MarkdownReportWriter.Create(new[] { failing }, ComplianceFailOn.Error, elsewhere));
        Assert.Empty(rendered.Descendants("a"));
        Assert.Contains("(Dockerfile line 2)", Text(rendered), StringComparison.Ordinal);
    }

    [Fact]
    public void FailOnDecidesTheVerdictAndWarningsStayVisible()
    {
        ComplianceReport failing = Failing("Lab");
        XElement never = Render(MarkdownReportWriter.Create(new[] { failing }, ComplianceFailOn.Never, SourceLinks.For(_ => null, null)));
        string[] cells = never.Descendants("tbody").Single().Elements("tr").Single().Elements("td").Select(Text).ToArray();
        Assert.Equal("⚠️", cells[0]);
        Assert.StartsWith("Passed with warnings: ", cells[3], StringComparison.Ordinal);
        Assert.StartsWith("1 image passed", Text(never.Elements("p").First()), StringComparison.Ordinal);
        Assert.DoesNotContain(never.Descendants("li"), li => Text(li).Contains(", fails)", StringComparison.Ordinal));
    }

    [Fact]
    public void ACodeSpanHoldsBackticksAndTextHoldsMarkdownExactly()
    {
        foreach (string value in new[] { "a`b", "``x``", "`", "name | with pipe", "[link](http://x) **bold** _i_ # h", "line\nbreak" })
        {
            XElement code = Render(MarkdownReportWriter.Code(value)).Descendants("code").Single();
            Assert.Equal(value.Replace('\n', ' '), code.Value);
            Assert.Equal(value.Replace('\n', ' '), Text(Render(MarkdownReportWriter.Inline(value))));
        }
    }

    [Fact]
    public void TheStepSummaryKeepsToGitHubsLimit()
    {
        ComplianceReport[] many = Enumerable.Range(0, 1000).Select(i => Failing("Environment " + i + new string('x', 200))).ToArray();
        string whole = MarkdownReportWriter.Create(many, ComplianceFailOn.Error, SourceLinks.For(_ => null, Repo));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(whole) > MarkdownReportWriter.StepSummaryLimit, "the test needs a summary over the limit");
        string step = MarkdownReportWriter.ForStepSummary(many, ComplianceFailOn.Error, SourceLinks.For(_ => null, Repo), "/out/compliance.md");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(step) <= MarkdownReportWriter.StepSummaryLimit);
        XElement html = Render(step);
        Assert.Equal(1000, html.Descendants("tbody").Single().Elements("tr").Count());
        Assert.Empty(html.Elements("ul"));
        Assert.Contains("compliance.md", Text(html), StringComparison.Ordinal);
    }

    [Fact]
    public void PublishingAppendsToTheGitHubSummaryAndPrintsTheAzureCommand()
    {
        string folder = Directory.CreateTempSubdirectory("renku-md-").FullName;
        try
        {
            string summary = Path.Combine(folder, "step_summary.md");
            File.WriteAllText(summary, "# Earlier step\n");
            string report = Path.Combine(folder, "compliance.md");
            File.WriteAllText(report, "## report\n");

            IReadOnlyList<string> lines = StepSummary.Publish(Variables(("GITHUB_ACTIONS", "true"), ("GITHUB_STEP_SUMMARY", summary)), report, "## Renku\n");
            Assert.Empty(lines);
            Assert.Equal("# Earlier step\n\n## Renku\n", File.ReadAllText(summary));

            IReadOnlyList<string> azure = StepSummary.Publish(Variables(("TF_BUILD", "True")), report, "## Renku\n");
            Assert.Equal(new[] { "##vso[task.uploadsummary]" + report }, azure);

            Assert.Empty(StepSummary.Publish(_ => null, report, "## Renku\n"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
