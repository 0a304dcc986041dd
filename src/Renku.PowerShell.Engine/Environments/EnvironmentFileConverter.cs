using System.Globalization;
using System.Text.RegularExpressions;

namespace Renku.PowerShell.Environments;

/// <summary>
/// Turns a read file into its entries, checking the file's shape and each value's type, and saying
/// what is wrong in the file's terms: the line, the key (<c>environments[2] (name: Broken).port</c>),
/// what was expected and what was found. Renku's limits on the values are checked afterwards.
/// </summary>
internal sealed class EnvironmentFileConverter
{
    private static readonly Regex WholeNumber = new(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
    private static readonly string Keys = string.Join(", ", EnvironmentFields.All);

    private readonly string path;
    private readonly bool json;
    private readonly List<EnvironmentFileProblem> problems = new();

    public EnvironmentFileConverter(string path, bool json)
    {
        this.path = path;
        this.json = json;
    }

    /// <summary>Every problem of shape, key or type found by <see cref="Entries"/>, in file order.</summary>
    public IReadOnlyList<EnvironmentFileProblem> Problems => problems;

    /// <summary>The entries that are mappings; the problems of the others, and of keys and types, go to <see cref="Problems"/>.</summary>
    public IReadOnlyList<EnvironmentFileItem> Entries(EnvironmentFileNode? root)
    {
        if (root is null)
        {
            return Fatal(1, "the file is empty; it must hold a top-level 'environments' list.");
        }

        if (root.Kind == EnvironmentFileNodeKind.Sequence)
        {
            return Fatal(root.Line, $"the file is a list at the top; an environments file is a mapping whose one key, 'environments', holds that list. Put 'environments:' above the entries{(json ? " ({\"environments\": [...]})" : " and indent them")}.");
        }

        if (root.Kind != EnvironmentFileNodeKind.Mapping)
        {
            return Fatal(root.Line, $"the file holds {root.Describe()}; it must be a mapping with a top-level 'environments' list.");
        }

        EnvironmentFileNode? list = null;
        bool listed = false;
        foreach (var (key, line, value) in root.Entries)
        {
            if (key != "environments")
            {
                string? nearest = EnvironmentFileKeys.Nearest(key, new[] { "environments" });
                problems.Add(new EnvironmentFileProblem(
                    EnvironmentFileErrorIds.UnknownKey,
                    path,
                    line,
                    null,
                    key,
                    $"unknown top-level key '{key}'; the file's one key is 'environments'.",
                    nearest is null ? null : $"Did you mean '{nearest}'?"));
                continue;
            }

            list = value;
            listed = true;
        }

        if (!listed || list is null || list.Kind == EnvironmentFileNodeKind.Null)
        {
            return Fatal(list?.Line ?? root.Line, "the file has no 'environments' list (write 'environments: []' for none).");
        }

        if (list.Kind != EnvironmentFileNodeKind.Sequence)
        {
            return Fatal(list.Line, $"'environments' must be a list of entries; it is {list.Describe()}.");
        }

        return list.Items.Select(Entry).OfType<EnvironmentFileItem>().ToList();
    }

    private EnvironmentFileItem? Entry(EnvironmentFileNode node, int index)
    {
        if (node.Kind == EnvironmentFileNodeKind.Null)
        {
            Add(EnvironmentFileErrorIds.ShapeInvalid, node.Line, $"environments[{index}]", null, $"environments[{index}] is empty; an entry needs at least a name and a container_image.");
            return null;
        }

        if (node.Kind != EnvironmentFileNodeKind.Mapping)
        {
            Add(EnvironmentFileErrorIds.ShapeInvalid, node.Line, $"environments[{index}]", null, $"environments[{index}] must be a mapping of keys ({Keys}); it is {node.Describe()}.");
            return null;
        }

        var nameNode = node.Entries.FirstOrDefault(e => e.Key == EnvironmentFields.Name).Value;
        string? name = nameNode?.Kind == EnvironmentFileNodeKind.Scalar && !string.IsNullOrEmpty(nameNode.Text) ? nameNode.Text : null;
        string entry = name is null ? $"environments[{index}]" : $"environments[{index}] (name: {name})";
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        var outOfRange = new Dictionary<string, object>(StringComparer.Ordinal);
        var unread = new HashSet<string>(StringComparer.Ordinal);
        var file = new EnvironmentFileEntry();
        foreach (var (key, line, value) in node.Entries)
        {
            string where = entry + "." + key;
            lines[key] = line;
            int before = problems.Count;
            switch (key)
            {
                case EnvironmentFields.Name: file.Name = Text(entry, key, value); break;
                case EnvironmentFields.Description: file.Description = Text(entry, key, value); break;
                case EnvironmentFields.ContainerImage: file.ContainerImage = Text(entry, key, value); break;
                case EnvironmentFields.DefaultUrl: file.DefaultUrl = Text(entry, key, value); break;
                case EnvironmentFields.WorkingDirectory: file.WorkingDirectory = Text(entry, key, value); break;
                case EnvironmentFields.MountDirectory: file.MountDirectory = Text(entry, key, value); break;
                case EnvironmentFields.Port: file.Port = Number(entry, key, value, outOfRange); break;
                case EnvironmentFields.Uid: file.Uid = Number(entry, key, value, outOfRange); break;
                case EnvironmentFields.Gid: file.Gid = Number(entry, key, value, outOfRange); break;
                case EnvironmentFields.Command: file.Command = Strings(entry, key, value); break;
                case EnvironmentFields.Args: file.Args = Strings(entry, key, value); break;
                case EnvironmentFields.StripPathPrefix: file.StripPathPrefix = Flag(entry, key, value); break;
                case EnvironmentFields.IsArchived: file.IsArchived = Flag(entry, key, value); break;
                default:
                    {
                        string? nearest = EnvironmentFileKeys.Nearest(key, EnvironmentFields.All);
                        problems.Add(new EnvironmentFileProblem(
                            EnvironmentFileErrorIds.UnknownKey,
                            path,
                            line,
                            entry,
                            key,
                            nearest is null ? $"{entry} has the unknown key '{key}'; an entry's keys are {Keys}." : $"{entry} has the unknown key '{key}': did you mean '{nearest}'? An entry's keys are {Keys}.",
                            null));
                        break;
                    }
            }

            if (problems.Count > before)
            {
                unread.Add(key);
            }
        }

        return new EnvironmentFileItem(index, node.Line, name, file.ToSpec(), lines, outOfRange, unread);
    }

    private string? Text(string entry, string key, EnvironmentFileNode value) => value.Kind switch
    {
        EnvironmentFileNodeKind.Null => null,
        EnvironmentFileNodeKind.Scalar => value.Text,
        _ => WrongType<string>(entry, key, value.Line, $"{entry}.{key} must be text; it is {value.Describe()}."),
    };

    /// <summary>A whole number that fits the field's type; one that does not is kept as written for validation to refuse with the field's own error.</summary>
    private int? Number(string entry, string field, EnvironmentFileNode value, Dictionary<string, object> outOfRange)
    {
        string where = entry + "." + field;
        if (value.Kind == EnvironmentFileNodeKind.Null)
        {
            return null;
        }

        if (value.Kind != EnvironmentFileNodeKind.Scalar || (json && value.IsQuoted) || !WholeNumber.IsMatch(value.Text!.Trim()))
        {
            return WrongType<int?>(entry, field, value.Line, $"{where} must be a whole number; it is {value.Describe()}{(json && value.IsQuoted ? " (a JSON string: leave out the quotes)" : string.Empty)}.");
        }

        string digits = value.Text!.Trim();
        if (int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        outOfRange[field] = long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long wide) ? wide : digits;
        return null;
    }

    private bool? Flag(string entry, string key, EnvironmentFileNode value)
    {
        string where = entry + "." + key;
        if (value.Kind == EnvironmentFileNodeKind.Null)
        {
            return null;
        }

        if (value.Kind == EnvironmentFileNodeKind.Scalar && !(json && value.IsQuoted))
        {
            if (string.Equals(value.Text, "true", json ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(value.Text, "false", json ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return WrongType<bool?>(entry, key, value.Line, $"{where} must be true or false; it is {value.Describe()}.");
    }

    private string[]? Strings(string entry, string key, EnvironmentFileNode value)
    {
        string where = entry + "." + key;
        if (value.Kind == EnvironmentFileNodeKind.Null)
        {
            return null;
        }

        if (value.Kind != EnvironmentFileNodeKind.Sequence)
        {
            return WrongType<string[]>(entry, key, value.Line, $"{where} must be a list of strings{(json ? " ([\"bash\", \"-c\"])" : " ([bash, -c])")}; it is {value.Describe()}.");
        }

        var items = new string[value.Items.Count];
        for (int i = 0; i < items.Length; i++)
        {
            EnvironmentFileNode item = value.Items[i];
            if (item.Kind != EnvironmentFileNodeKind.Scalar)
            {
                return WrongType<string[]>(entry, key, item.Line, $"{where}[{i}] must be a string; it is {item.Describe()}.");
            }

            items[i] = item.Text!;
        }

        return items;
    }

    private T? WrongType<T>(string entry, string key, long line, string message)
    {
        Add(EnvironmentFileErrorIds.WrongType, line, entry, key, message);
        return default;
    }

    private void Add(string errorId, long line, string? entry, string? key, string message) =>
        problems.Add(new EnvironmentFileProblem(errorId, path, line, entry, key, message));

    private IReadOnlyList<EnvironmentFileItem> Fatal(long line, string message)
    {
        problems.Add(new EnvironmentFileProblem(EnvironmentFileErrorIds.ShapeInvalid, path, line, null, null, message, fatal: true));
        return Array.Empty<EnvironmentFileItem>();
    }
}
