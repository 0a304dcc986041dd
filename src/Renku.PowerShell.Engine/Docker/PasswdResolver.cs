using System.Globalization;

namespace Renku.PowerShell.Docker;

/// <summary>
/// Resolves a USER value against an image's /etc/passwd and /etc/group the way the container
/// runtime does: names or numbers, <c>user:group</c>, a bare user taking its primary gid from
/// passwd, an empty USER meaning root.
/// </summary>
internal static class PasswdResolver
{
    internal static ImageUser Resolve(string? spec, string? passwd, string? group)
    {
        spec ??= string.Empty;
        var users = ParseTable(passwd, 7);
        var groups = ParseTable(group, 4);
        string userPart = spec.Length == 0 ? "0" : spec.Split(':')[0];
        string? groupPart = spec.Contains(':') ? spec[(spec.IndexOf(':') + 1)..] : null;

        string[]? userEntry = users.FirstOrDefault(u => u[0] == userPart) ?? (int.TryParse(userPart, NumberStyles.None, CultureInfo.InvariantCulture, out int byNumber) ? users.FirstOrDefault(u => u[2] == byNumber.ToString(CultureInfo.InvariantCulture)) : null);
        int? uid = userEntry is not null ? ParseId(userEntry[2]) : ParseId(userPart);
        string? problem = null;
        if (uid is null)
        {
            problem = passwd is null
                ? $"the image has no /etc/passwd to look up the user '{userPart}'"
                : $"no user '{userPart}' in /etc/passwd";
        }

        int? gid = null;
        string? groupName = null;
        if (groupPart is not null)
        {
            string[]? groupEntry = groups.FirstOrDefault(g => g[0] == groupPart) ?? (ParseId(groupPart) is int numeric ? groups.FirstOrDefault(g => g[2] == numeric.ToString(CultureInfo.InvariantCulture)) : null);
            gid = groupEntry is not null ? ParseId(groupEntry[2]) : ParseId(groupPart);
            groupName = groupEntry?[0];
            if (gid is null)
            {
                problem ??= group is null ? $"the image has no /etc/group to look up the group '{groupPart}'" : $"no group '{groupPart}' in /etc/group";
            }
        }
        else if (userEntry is not null)
        {
            gid = ParseId(userEntry[3]);
            groupName = gid is int g ? groups.FirstOrDefault(e => e[2] == g.ToString(CultureInfo.InvariantCulture))?[0] : null;
        }
        else if (uid is not null)
        {
            // A numeric user without a passwd entry runs with gid 0, as Docker and containerd do.
            gid = 0;
            groupName = groups.FirstOrDefault(e => e[2] == "0")?[0];
        }

        return new ImageUser
        {
            Spec = spec,
            UserName = userEntry?[0],
            Uid = uid,
            GroupName = groupName,
            Gid = gid,
            Home = userEntry?[5],
            Resolved = problem is null,
            Problem = problem,
        };
    }

    private static int? ParseId(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : null;

    private static List<string[]> ParseTable(string? content, int fields)
    {
        var rows = new List<string[]>();
        if (content is null)
        {
            return rows;
        }

        foreach (string raw in content.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] parts = line.Split(':');
            if (parts.Length >= Math.Min(fields, 4))
            {
                rows.Add(parts.Length >= fields ? parts : parts.Concat(Enumerable.Repeat(string.Empty, fields - parts.Length)).ToArray());
            }
        }

        return rows;
    }
}
