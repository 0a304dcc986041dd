using System.Globalization;
using System.Net;
using System.Text;

namespace Renku.PowerShell.Reports;

/// <summary>
/// The environment report as one self-contained HTML page: a summary bar of counts, a table with
/// one row per environment and a status colour per cell, sortable by any column, each row
/// expandable to its failing rules with their remedies, the upgrade, launchers and sessions.
/// Style and script are inline and a Content-Security-Policy forbids loading anything else, so
/// the page opens offline, from a CI artifact or a mail attachment, and never calls out. Without
/// script the page still reads: every row's details are shown.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>
    /// The page. Row order is the order given; the page sorts on a click on a column header, or
    /// when opened with <c>#sort=&lt;column&gt;[-desc]</c> (columns: name, status, compliance,
    /// upgrade, digest, launchers, platform, sessions); <c>#open=&lt;environment id&gt;</c> (or <c>all</c>)
    /// expands rows.
    /// </summary>
    public static string Create(IReadOnlyList<EnvironmentReport> rows, string? source, DateTimeOffset generated, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(rows);
        bool digests = rows.Any(r => r.DigestChanged is not null);
        bool sessions = rows.Any(r => r.Sessions is not null);
        // The platform column shows once any launcher's pool platform is known (pools read and matched).
        bool platforms = rows.Any(r => r.Launches?.Any(l => l.Platform is not null) == true);
        int columns = 5 + (digests ? 1 : 0) + (sessions ? 1 : 0) + (platforms ? 1 : 0);

        var html = new StringBuilder(4096 + rows.Count * 2048);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"Renku.PowerShell ").Append(E(toolVersion)).Append("\">\n")
            .Append("<title>Renku global environments").Append(source is null ? string.Empty : " – " + E(source)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");

        html.Append("<header>\n<h1>Renku global environments</h1>\n<p class=\"meta\">")
            .Append(source is null ? string.Empty : E(source) + " · ")
            .Append(E(generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(" · Renku.PowerShell ").Append(E(toolVersion)).Append("</p>\n</header>\n");

        AppendSummary(html, rows, digests, sessions);

        html.Append("<table id=\"environments\">\n<thead>\n<tr>")
            .Append(Header("name", "Environment"))
            .Append(Header("status", "Status"))
            .Append(Header("compliance", "Compliance"))
            .Append(Header("upgrade", "Upgrade"));
        if (digests)
        {
            html.Append(Header("digest", "Digest"));
        }

        html.Append(Header("launchers", "Launchers"));
        if (platforms)
        {
            html.Append(Header("platform", "Platform"));
        }

        if (sessions)
        {
            html.Append(Header("sessions", "Sessions"));
        }

        html.Append("</tr>\n</thead>\n");
        int index = 0;
        foreach (EnvironmentReport row in rows)
        {
            AppendRow(html, row, index++, digests, sessions, platforms, columns);
        }

        html.Append("</table>\n");
        if (rows.Count == 0)
        {
            html.Append("<p class=\"empty\">No environments.</p>\n");
        }

        html.Append("<footer><p>Status colours: <span class=\"status-ok\">ok</span> <span class=\"status-info\">worth knowing</span> <span class=\"status-unknown\">could not be checked</span> <span class=\"status-warning\">look at it</span> <span class=\"status-failure\">broken or risky</span>. Click a column to sort, a row to see its details.</p></footer>\n");
        html.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    public static void Write(IReadOnlyList<EnvironmentReport> rows, string? source, DateTimeOffset generated, string toolVersion, string path) =>
        File.WriteAllText(path, Create(rows, source, generated, toolVersion), new UTF8Encoding(false));

    private static void AppendSummary(StringBuilder html, IReadOnlyList<EnvironmentReport> rows, bool digests, bool sessions)
    {
        html.Append("<section class=\"summary\" aria-label=\"Summary\">\n");
        Tile(html, "total", rows.Count, "environments", null);
        Tile(html, "failing", rows.Count(r => r.ComplianceVerdict == ComplianceVerdict.Failed), "fail compliance", ReportStatus.Failure);
        Tile(html, "warnings", rows.Count(r => r.ComplianceVerdict == ComplianceVerdict.PassedWithWarnings), "pass with warnings", ReportStatus.Warning);
        Tile(html, "unchecked", rows.Count(r => r.ComplianceVerdict == ComplianceVerdict.NotChecked), "not checked", ReportStatus.Unknown);
        Tile(html, "upgrades", rows.Count(r => r.UpgradeStatus is UpgradeStatus.PatchAvailable or UpgradeStatus.MinorAvailable or UpgradeStatus.MajorAvailable), "can upgrade", ReportStatus.Warning);
        Tile(html, "unpinned", rows.Count(r => r.UpgradeStatus is UpgradeStatus.Unpinned or UpgradeStatus.TagMissing), "unpinned or tag gone", ReportStatus.Warning);
        if (digests)
        {
            Tile(html, "repushed", rows.Count(r => r.DigestChanged == true), "tags pushed again", ReportStatus.Failure);
        }

        if (rows.Any(r => r.Launches?.Any(l => l.Platform is not null) == true))
        {
            Tile(html, "platform-mismatch", rows.Count(r => r.PlatformMismatches.Count > 0), "launched where the image cannot run", ReportStatus.Failure);
        }

        Tile(html, "archived-used", rows.Count(r => r.ArchivedButUsed), "archived but used", ReportStatus.Warning);
        Tile(html, "unused", rows.Count(r => r.Unused && !r.IsArchived), "unused", ReportStatus.Info);
        if (sessions)
        {
            Tile(html, "restarting", rows.Count(r => FleetStatus.Sessions(r) is ReportStatus.Warning or ReportStatus.Failure), "with failing or restarting sessions", ReportStatus.Warning);
        }

        html.Append("</section>\n");
    }

    /// <summary>A count in the summary bar, coloured by <paramref name="status"/> when it is not zero.</summary>
    private static void Tile(StringBuilder html, string key, int count, string label, ReportStatus? status)
    {
        string colour = status is null ? "tile" : count == 0 ? "tile status-ok" : "tile " + Css(status.Value);
        html.Append("<div class=\"").Append(colour).Append("\" data-tile=\"").Append(key).Append("\"><span class=\"count\">")
            .Append(count.ToString(CultureInfo.InvariantCulture)).Append("</span> ").Append(E(label)).Append("</div>\n");
    }

    private static string Header(string key, string label) =>
        $"<th data-key=\"{key}\" aria-sort=\"none\"><button type=\"button\">{E(label)}</button></th>";

    private static void AppendRow(StringBuilder html, EnvironmentReport row, int index, bool digests, bool sessions, bool platforms, int columns)
    {
        string id = "env-" + index.ToString(CultureInfo.InvariantCulture);
        ReportStatus? digest = FleetStatus.Digest(row);
        ReportStatus? sessionStatus = FleetStatus.Sessions(row);
        html.Append("<tbody class=\"environment\" id=\"").Append(id).Append("\" data-id=\"").Append(E(row.Id))
            .Append("\" data-name=\"").Append(E(row.Name.ToLowerInvariant()))
            .Append("\" data-status=\"").Append(Rank(row.Status))
            .Append("\" data-compliance=\"").Append(Rank(FleetStatus.Compliance(row)))
            .Append("\" data-upgrade=\"").Append(Rank(FleetStatus.Upgrade(row)))
            .Append("\" data-digest=\"").Append(Rank(digest))
            .Append("\" data-launchers=\"").Append(row.LauncherCount.ToString(CultureInfo.InvariantCulture))
            .Append("\" data-platform=\"").Append(Rank(FleetStatus.Platform(row)))
            .Append("\" data-sessions=\"").Append((row.Sessions?.Count ?? -1).ToString(CultureInfo.InvariantCulture))
            .Append("\">\n<tr class=\"row\">");

        html.Append("<td class=\"name\"><button type=\"button\" class=\"toggle\" aria-expanded=\"false\" aria-controls=\"").Append(id).Append("-details\" title=\"Details\">▸</button> ")
            .Append("<span class=\"env\">").Append(E(row.Name)).Append("</span>")
            .Append(row.IsArchived ? " <span class=\"badge\">archived</span>" : string.Empty)
            .Append("<br><code>").Append(E(row.Image)).Append("</code></td>");

        Cell(html, "status", row.Status, row.Status.ToString());
        string compliance = row.ComplianceVerdict switch
        {
            ComplianceVerdict.Failed => "Failed: " + string.Join(", ", row.FailingRules),
            ComplianceVerdict.PassedWithWarnings => "Warnings: " + string.Join(", ", row.FailingRules),
            ComplianceVerdict.NotChecked => "Not checked",
            _ => "Passed",
        };
        Cell(html, "compliance", FleetStatus.Compliance(row), compliance);
        string upgrade = row.UpgradeStatus switch
        {
            UpgradeStatus.UpToDate => "Up to date",
            UpgradeStatus.NewerStream => "Newer stream available: " + string.Join(", ", row.Upgrade?.NewerStreams ?? Array.Empty<string>()),
            UpgradeStatus.PatchAvailable or UpgradeStatus.MinorAvailable or UpgradeStatus.MajorAvailable => $"{Spaced(row.UpgradeStatus)}: {row.Candidate ?? "?"}",
            _ => Spaced(row.UpgradeStatus) + (row.Candidate is null ? string.Empty : ": " + row.Candidate),
        };
        Cell(html, "upgrade", FleetStatus.Upgrade(row), upgrade);
        if (digests)
        {
            Cell(html, "digest", digest, row.DigestChanged switch { true => "Pushed again", false => "Unchanged", null => "–" });
        }

        string usage = FleetStatus.Count(row.LauncherCount, "launcher") + (row.ArchivedButUsed ? " (archived)" : row.Unused && !row.IsArchived ? " (unused)" : string.Empty);
        Cell(html, "launchers", FleetStatus.Usage(row), usage);
        if (platforms)
        {
            string fit = row.PlatformFit switch
            {
                "Mismatch" => "Mismatch: " + string.Join("; ", row.PlatformMismatches.Select(m => $"{m.LauncherName} on {m.Platform}")) + " (image: " + string.Join(", ", row.ImagePlatforms) + ")",
                "Fits" => "Fits: " + string.Join(", ", row.ImagePlatforms),
                _ => "–",
            };
            Cell(html, "platform", FleetStatus.Platform(row), fit);
        }

        if (sessions)
        {
            string running = row.Sessions is null ? "–"
                : row.Sessions.Count == 0 ? "None"
                : $"{row.RunningSessions} of {row.Sessions.Count} running, {FleetStatus.Count(row.Restarts ?? 0, "restart")}";
            Cell(html, "sessions", sessionStatus, running);
        }

        html.Append("</tr>\n<tr class=\"details\" id=\"").Append(id).Append("-details\"><td colspan=\"").Append(columns.ToString(CultureInfo.InvariantCulture)).Append("\">\n");
        AppendDetails(html, row);
        html.Append("</td></tr>\n</tbody>\n");
    }

    private static void AppendDetails(StringBuilder html, EnvironmentReport row)
    {
        IReadOnlyList<string> findings = row.Findings;
        if (findings.Count > 0)
        {
            html.Append("<p class=\"findings\"><strong>Findings:</strong> ").Append(E(string.Join("; ", findings))).Append("</p>\n");
        }

        html.Append("<h3>Compliance</h3>\n");
        if (row.Compliance is null)
        {
            html.Append("<p>The image could not be checked: ").Append(E(row.ComplianceError ?? "no reason given")).Append("</p>\n");
        }
        else
        {
            List<ComplianceResult> failed = row.Compliance.Failures.ToList();
            if (failed.Count == 0)
            {
                html.Append("<p>Every rule passed (").Append(FleetStatus.Count(row.Compliance.PassCount, "rule")).Append(", policy ").Append(E(row.Compliance.Policy)).Append(").</p>\n");
            }
            else
            {
                html.Append("<table class=\"rules\">\n<thead><tr><th>Rule</th><th>Severity</th><th>Finding</th><th>Remedy</th></tr></thead>\n<tbody>\n");
                foreach (ComplianceResult result in failed)
                {
                    ReportStatus status = result.Severity switch { ComplianceSeverity.Error => ReportStatus.Failure, ComplianceSeverity.Warning => ReportStatus.Warning, _ => ReportStatus.Info };
                    html.Append("<tr class=\"rule\" data-rule=\"").Append(E(result.RuleId)).Append("\"><td><code>").Append(E(result.RuleId)).Append("</code> ").Append(E(result.RuleName))
                        .Append("</td><td class=\"").Append(Css(status)).Append("\">").Append(E(result.Severity.ToString()))
                        .Append("</td><td>").Append(E(result.Message))
                        .Append("</td><td class=\"remedy\">").Append(E(result.Remedy)).Append("</td></tr>\n");
                }

                html.Append("</tbody>\n</table>\n");
            }
        }

        if (row.Upgrade is { } upgrade)
        {
            html.Append("<h3>Upgrade</h3>\n<p>").Append(E(Spaced(upgrade.Status)));
            if (upgrade.CurrentTag is not null)
            {
                html.Append(" · tag <code>").Append(E(upgrade.CurrentTag)).Append("</code>");
            }

            if (upgrade.CandidateImage is not null)
            {
                html.Append(" · move to <code>").Append(E(upgrade.CandidateImage)).Append("</code>");
            }

            if (upgrade.NewestMajor is not null && upgrade.NewestMajor != upgrade.Candidate)
            {
                html.Append(" · newest major <code>").Append(E(upgrade.NewestMajor)).Append("</code>");
            }

            html.Append("</p>\n");
            if (upgrade.Message is not null)
            {
                html.Append("<p>").Append(E(upgrade.Message)).Append("</p>\n");
            }

            if (row.DigestChanged is not null)
            {
                html.Append("<p>Digest: recorded <code>").Append(E(row.RecordedDigest ?? "(first seen now)")).Append("</code>, now <code>").Append(E(row.CurrentDigest ?? "?")).Append("</code></p>\n");
            }
        }

        html.Append("<h3>Launchers</h3>\n");
        if (row.Launchers.Count == 0)
        {
            html.Append("<p>No launcher uses this environment.</p>\n");
        }
        else
        {
            html.Append("<ul class=\"launchers\">\n");
            foreach (SessionLauncher launcher in row.Launchers.OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase))
            {
                LaunchPlatform? runs = row.Launches?.FirstOrDefault(l => string.Equals(l.LauncherId, launcher.Id, StringComparison.Ordinal));
                html.Append("<li>").Append(E(launcher.Name)).Append(" <span class=\"muted\">(")
                    .Append(E(string.IsNullOrEmpty(launcher.LauncherType) ? string.Empty : launcher.LauncherType + ", "))
                    .Append(E(string.IsNullOrEmpty(launcher.FrontendVariant) ? string.Empty : "frontend " + launcher.FrontendVariant + ", "))
                    .Append(E(runs?.Platform is null ? string.Empty : $"pool {runs.PoolName} on {runs.Platform}, "))
                    .Append("project <code>").Append(E(launcher.ProjectId)).Append("</code>)</span></li>\n");
            }

            html.Append("</ul>\n");
        }

        if (row.Sessions is { } sessions)
        {
            html.Append("<h3>Sessions</h3>\n");
            if (sessions.Count == 0)
            {
                html.Append("<p>No session runs this environment.</p>\n");
            }
            else
            {
                html.Append("<table class=\"sessions\">\n<thead><tr><th>Session</th><th>State</th><th>Restarts</th><th>User</th><th>Error</th></tr></thead>\n<tbody>\n");
                foreach (RenkuSession session in sessions.OrderByDescending(s => s.RestartCount ?? 0).ThenBy(s => s.Name, StringComparer.Ordinal))
                {
                    ReportStatus status = string.Equals(session.State, "Failed", StringComparison.OrdinalIgnoreCase) ? ReportStatus.Failure
                        : (session.RestartCount ?? 0) >= FleetStatus.RestartsOfConcern || string.Equals(session.State, "RunningDegraded", StringComparison.OrdinalIgnoreCase) ? ReportStatus.Warning
                        : ReportStatus.Ok;
                    html.Append("<tr><td><code>").Append(E(session.Name)).Append("</code></td><td class=\"").Append(Css(status)).Append("\">").Append(E(session.State ?? "?"))
                        .Append("</td><td>").Append(E(session.RestartCount?.ToString(CultureInfo.InvariantCulture) ?? "–"))
                        .Append("</td><td>").Append(E(session.User ?? string.Empty))
                        .Append("</td><td>").Append(E(session.Error ?? string.Empty)).Append("</td></tr>\n");
                }

                html.Append("</tbody>\n</table>\n");
            }
        }
    }

    private static void Cell(StringBuilder html, string key, ReportStatus? status, string text) =>
        html.Append("<td class=\"cell-").Append(key).Append(' ').Append(status is null ? "status-none" : Css(status.Value)).Append("\">").Append(E(text)).Append("</td>");

    private static string Css(ReportStatus status) => "status-" + status.ToString().ToLowerInvariant();

    /// <summary>The sort key of a status: its rank, -1 where the column does not apply.</summary>
    private static string Rank(ReportStatus? status) => status is null ? "-1" : ((int)status.Value).ToString(CultureInfo.InvariantCulture);

    /// <summary><c>MinorAvailable</c> as <c>Minor available</c>.</summary>
    private static string Spaced(UpgradeStatus status)
    {
        string name = status.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append(' ').Append(char.ToLowerInvariant(name[i]));
            }
            else
            {
                text.Append(name[i]);
            }
        }

        return text.ToString();
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private const string Style = """
        :root { color-scheme: light; --ok: #e6f4ea; --ok-text: #137333; --info: #e8f0fe; --info-text: #174ea6; --unknown: #f1f3f4; --unknown-text: #3c4043; --warning: #fef7e0; --warning-text: #8a4b00; --failure: #fce8e6; --failure-text: #a50e0e; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 1.5rem; color: #202124; background: #fff; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem 0; }
        h3 { font-size: 1rem; margin: .75rem 0 .25rem 0; }
        .meta, .muted { color: #5f6368; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em; word-break: break-all; }
        .summary { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0; }
        .tile { border: 1px solid #dadce0; border-radius: 6px; padding: .5rem .75rem; background: #fff; }
        .tile .count { font-size: 1.4rem; font-weight: 600; margin-right: .25rem; }
        table { border-collapse: collapse; width: 100%; }
        #environments > thead th { position: sticky; top: 0; background: #f8f9fa; border-bottom: 2px solid #dadce0; text-align: left; padding: 0; }
        #environments > thead th button { all: unset; cursor: pointer; display: block; padding: .5rem; font-weight: 600; }
        #environments > thead th[aria-sort="ascending"] button::after { content: " ▲"; }
        #environments > thead th[aria-sort="descending"] button::after { content: " ▼"; }
        #environments > tbody > tr.row > td { padding: .45rem .5rem; border-bottom: 1px solid #e8eaed; vertical-align: top; }
        #environments > tbody > tr.row { cursor: pointer; }
        #environments > tbody > tr.details > td { padding: .25rem 1rem 1rem 2.25rem; border-bottom: 1px solid #dadce0; background: #fcfcfd; }
        .js #environments > tbody > tr.details { display: none; }
        .js #environments > tbody.open > tr.details { display: table-row; }
        .toggle { all: unset; cursor: pointer; width: 1em; display: inline-block; color: #5f6368; }
        tbody.open .toggle { transform: rotate(90deg); }
        .env { font-weight: 600; }
        .badge { font-size: .75em; border-radius: 4px; padding: 0 .3em; background: #e8eaed; color: #3c4043; }
        table.rules, table.sessions { margin: .25rem 0; font-size: .92em; }
        table.rules th, table.rules td, table.sessions th, table.sessions td { border: 1px solid #e8eaed; padding: .3rem .45rem; text-align: left; vertical-align: top; }
        .status-ok { background: var(--ok); color: var(--ok-text); }
        .status-info { background: var(--info); color: var(--info-text); }
        .status-unknown { background: var(--unknown); color: var(--unknown-text); }
        .status-warning { background: var(--warning); color: var(--warning-text); }
        .status-failure { background: var(--failure); color: var(--failure-text); font-weight: 600; }
        footer span { padding: 0 .3em; border-radius: 3px; }
        footer { margin-top: 1rem; font-size: .85em; color: #5f6368; }

        """;

    private const string Script = """
        (function () {
          'use strict';
          document.documentElement.classList.add('js');
          var table = document.getElementById('environments');
          var numeric = { status: true, compliance: true, upgrade: true, digest: true, launchers: true, platform: true, sessions: true };
          function toggle(body, open) {
            var shown = open === undefined ? !body.classList.contains('open') : open;
            body.classList.toggle('open', shown);
            body.querySelector('.toggle').setAttribute('aria-expanded', shown ? 'true' : 'false');
          }
          function sort(key, descending) {
            var bodies = Array.prototype.slice.call(table.tBodies);
            bodies.sort(function (a, b) {
              var x = a.dataset[key], y = b.dataset[key], order;
              if (numeric[key]) { order = Number(x) - Number(y); } else { order = x < y ? -1 : x > y ? 1 : 0; }
              if (order === 0) { order = a.dataset.name < b.dataset.name ? -1 : a.dataset.name > b.dataset.name ? 1 : 0; return order; }
              return descending ? -order : order;
            });
            bodies.forEach(function (body) { table.appendChild(body); });
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
              th.setAttribute('aria-sort', th.dataset.key === key ? (descending ? 'descending' : 'ascending') : 'none');
            });
          }
          table.tHead.addEventListener('click', function (event) {
            var th = event.target.closest('th');
            if (!th) { return; }
            var key = th.dataset.key;
            // Statuses and counts sort worst or largest first on the first click, names A to Z.
            var descending = th.getAttribute('aria-sort') === 'none' ? !!numeric[key] : th.getAttribute('aria-sort') === 'ascending';
            sort(key, descending);
          });
          Array.prototype.forEach.call(table.tBodies, function (body) {
            body.rows[0].addEventListener('click', function () { toggle(body); });
          });
          var hash = decodeURIComponent(location.hash.replace(/^#/, ''));
          hash.split('&').forEach(function (part) {
            var pair = part.split('='), name = pair[0], value = pair.slice(1).join('=');
            if (name === 'sort' && value) {
              var descending = /-desc$/.test(value), key = value.replace(/-(asc|desc)$/, '');
              if (table.tHead.querySelector('th[data-key="' + key + '"]')) { sort(key, descending); }
            } else if (name === 'open' && value) {
              Array.prototype.forEach.call(table.tBodies, function (body) {
                if (value === 'all' || body.dataset.id === value) { toggle(body, true); }
              });
            }
          });
        })();

        """;
}
