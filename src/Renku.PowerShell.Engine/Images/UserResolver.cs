using System.Globalization;

namespace Renku.PowerShell.Images;

/// <summary>
/// Resolves an image's USER against its /etc/passwd and /etc/group the way the container
/// runtime does: an empty USER is root; a numeric user without a group takes the gid from its
/// passwd entry, or 0 when it has none; a named user or group must exist.
/// </summary>
public static class UserResolver
{
    /// <summary>Resolves <paramref name="spec"/> (<c>user[:group]</c>) against file contents; null contents mean the file is absent.</summary>
    public static ImageUser Resolve(string? spec, string? passwd, string? group)
    {
        string text = (spec ?? string.Empty).Trim();
        int colon = text.IndexOf(':');
        string userPart = colon < 0 ? text : text.Substring(0, colon);
        string? groupPart = colon < 0 ? null : text.Substring(colon + 1);
        if (userPart.Length == 0)
        {
            userPart = "0";
        }

        var users = ParseColonFile(passwd, 7);
        var groups = ParseColonFile(group, 3);
        var problems = new List<string>();

        bool numericUser = TryId(userPart, out int uidValue);
        string[]? pw = numericUser
            ? users.FirstOrDefault(u => TryId(u[2], out int id) && id == uidValue)
            : users.FirstOrDefault(u => u[0] == userPart);
        int? uid = numericUser ? uidValue : pw is not null && TryId(pw[2], out int namedUid) ? namedUid : null;
        if (!numericUser && pw is null)
        {
            problems.Add(passwd is null
                ? $"The user '{userPart}' cannot be resolved: the image has no /etc/passwd."
                : $"The user '{userPart}' is not in the image's /etc/passwd.");
        }

        int? gid;
        if (groupPart is null || groupPart.Length == 0)
        {
            gid = pw is not null && TryId(pw[3], out int primary) ? primary : numericUser ? 0 : null;
        }
        else if (TryId(groupPart, out int numericGroup))
        {
            gid = numericGroup;
        }
        else
        {
            string[]? named = groups.FirstOrDefault(g => g[0] == groupPart);
            gid = named is not null && TryId(named[2], out int id) ? id : null;
            if (named is null)
            {
                problems.Add(group is null
                    ? $"The group '{groupPart}' cannot be resolved: the image has no /etc/group."
                    : $"The group '{groupPart}' is not in the image's /etc/group.");
            }
        }

        string? groupName = gid is int g1 ? groups.FirstOrDefault(g => TryId(g[2], out int id) && id == g1)?[0] : null;
        if (groupName is null && groupPart is { Length: > 0 } && !TryId(groupPart, out _))
        {
            groupName = groupPart;
        }

        return new ImageUser
        {
            Spec = spec ?? string.Empty,
            UserName = pw?[0] ?? (numericUser ? null : userPart),
            Uid = uid,
            GroupName = groupName,
            Gid = gid,
            Home = pw is not null && pw[5].Length > 0 ? pw[5] : null,
            Resolved = problems.Count == 0,
            Problem = problems.Count == 0 ? null : string.Join(" ", problems),
        };
    }

    /// <summary>What is known of the user without reading the image's files.</summary>
    public static ImageUser FromSpecOnly(string? spec)
    {
        string text = (spec ?? string.Empty).Trim();
        int colon = text.IndexOf(':');
        string userPart = colon < 0 ? text : text.Substring(0, colon);
        string? groupPart = colon < 0 ? null : text.Substring(colon + 1);
        if (userPart.Length == 0)
        {
            userPart = "0";
        }

        return new ImageUser
        {
            Spec = spec ?? string.Empty,
            UserName = TryId(userPart, out _) ? null : userPart,
            Uid = TryId(userPart, out int uid) ? uid : null,
            GroupName = groupPart is { Length: > 0 } && !TryId(groupPart, out _) ? groupPart : null,
            Gid = groupPart is not null && TryId(groupPart, out int gid) ? gid : null,
            Resolved = false,
            Problem = "The image's /etc/passwd and /etc/group were not read; inspect with files (Get-RenkuImage -IncludeFiles) to resolve names and the primary group.",
        };
    }

    private static List<string[]> ParseColonFile(string? content, int fields)
    {
        var rows = new List<string[]>();
        if (content is null)
        {
            return rows;
        }

        foreach (string rawLine in content.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] parts = line.Split(':');
            if (parts.Length >= fields - 1 && parts[0].Length > 0)
            {
                rows.Add(parts.Length >= fields ? parts : parts.Concat(Enumerable.Repeat(string.Empty, fields - parts.Length)).ToArray());
            }
        }

        return rows;
    }

    private static bool TryId(string text, out int id) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id >= 0;
}
