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

    public EnvironmentFileConverter(string path, bool json)
    {
        this.path = path;
        this.json = json;
    }

    public IReadOnlyList<EnvironmentFileItem> Entries(EnvironmentFileNode? root)
    {
        if (root is null)
        {
            throw Fail(1, "the file is empty; it must hold a top-level 'environments' list.");
        }

        if (root.Kind == EnvironmentFileNodeKind.Sequence)
        {
            throw Fail(root.Line, $"the file is a list at the top; an environments file is a mapping whose one key, 'environments', holds that list. Put 'environments:' above the entries{(json ? " ({\"environments\": [...]})" : " and indent them")}.");
        }

        if (root.Kind != EnvironmentFileNodeKind.Mapping)
        {
            throw Fail(root.Line, $"the file holds {root.Describe()}; it must be a mapping with a top-level 'environments' list.");
        }

        EnvironmentFileNode? list = null;
        foreach (var (key, line, value) in root.Entries)
        {
            if (key != "environments")
            {
                throw Fail(line, $"unknown top-level key '{key}'; the file's one key is 'environments'.");
            }

            list = value;
        }

        if (list is null || list.Kind == EnvironmentFileNodeKind.Null)
        {
            throw Fail(list?.Line ?? root.Line, "the file has no 'environments' list (write 'environments: []' for none).");
        }

        if (list.Kind != EnvironmentFileNodeKind.Sequence)
        {
            throw Fail(list.Line, $"'environments' must be a list of entries; it is {list.Describe()}.");
        }

        return list.Items.Select(Entry).ToList();
    }

    private EnvironmentFileItem Entry(EnvironmentFileNode node, int index)
    {
        if (node.Kind == EnvironmentFileNodeKind.Null)
        {
            throw Fail(node.Line, $"environments[{index}] is empty; an entry needs at least a name and a container_image.");
        }

        if (node.Kind != EnvironmentFileNodeKind.Mapping)
        {
            throw Fail(node.Line, $"environments[{index}] must be a mapping of keys ({Keys}); it is {node.Describe()}.");
        }

        var nameNode = node.Entries.FirstOrDefault(e => e.Key == EnvironmentFields.Name).Value;
        string? name = nameNode?.Kind == EnvironmentFileNodeKind.Scalar ? nameNode.Text : null;
        string entry = name is null ? $"environments[{index}]" : $"environments[{index}] (name: {name})";
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        var outOfRange = new Dictionary<string, object>(StringComparer.Ordinal);
        var file = new EnvironmentFileEntry();
        foreach (var (key, line, value) in node.Entries)
        {
            string where = entry + "." + key;
            lines[key] = line;
            switch (key)
            {
                case EnvironmentFields.Name: file.Name = Text(where, value); break;
                case EnvironmentFields.Description: file.Description = Text(where, value); break;
                case EnvironmentFields.ContainerImage: file.ContainerImage = Text(where, value); break;
                case EnvironmentFields.DefaultUrl: file.DefaultUrl = Text(where, value); break;
                case EnvironmentFields.WorkingDirectory: file.WorkingDirectory = Text(where, value); break;
                case EnvironmentFields.MountDirectory: file.MountDirectory = Text(where, value); break;
                case EnvironmentFields.Port: file.Port = Number(where, key, value, outOfRange); break;
                case EnvironmentFields.Uid: file.Uid = Number(where, key, value, outOfRange); break;
                case EnvironmentFields.Gid: file.Gid = Number(where, key, value, outOfRange); break;
                case EnvironmentFields.Command: file.Command = Strings(where, value); break;
                case EnvironmentFields.Args: file.Args = Strings(where, value); break;
                case EnvironmentFields.StripPathPrefix: file.StripPathPrefix = Flag(where, value); break;
                case EnvironmentFields.IsArchived: file.IsArchived = Flag(where, value); break;
                default:
                    throw Fail(line, $"{entry} has the unknown key '{key}'; an entry's keys are {Keys}.");
            }
        }

        return new EnvironmentFileItem(index, node.Line, name, file.ToSpec(), lines, outOfRange);
    }

    private string? Text(string where, EnvironmentFileNode value) => value.Kind switch
    {
        EnvironmentFileNodeKind.Null => null,
        EnvironmentFileNodeKind.Scalar => value.Text,
        _ => throw Fail(value.Line, $"{where} must be text; it is {value.Describe()}."),
    };

    /// <summary>A whole number that fits the field's type; one that does not is kept as written for validation to refuse with the field's own error.</summary>
    private int? Number(string where, string field, EnvironmentFileNode value, Dictionary<string, object> outOfRange)
    {
        if (value.Kind == EnvironmentFileNodeKind.Null)
        {
            return null;
        }

        if (value.Kind != EnvironmentFileNodeKind.Scalar || (json && value.IsQuoted) || !WholeNumber.IsMatch(value.Text!.Trim()))
        {
            throw Fail(value.Line, $"{where} must be a whole number; it is {value.Describe()}{(json && value.IsQuoted ? " (a JSON string: leave out the quotes)" : string.Empty)}.");
        }

        string digits = value.Text!.Trim();
        if (int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        outOfRange[field] = long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long wide) ? wide : digits;
        return null;
    }

    private bool? Flag(string where, EnvironmentFileNode value)
    {
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

        throw Fail(value.Line, $"{where} must be true or false; it is {value.Describe()}.");
    }

    private string[]? Strings(string where, EnvironmentFileNode value)
    {
        if (value.Kind == EnvironmentFileNodeKind.Null)
        {
            return null;
        }

        if (value.Kind != EnvironmentFileNodeKind.Sequence)
        {
            throw Fail(value.Line, $"{where} must be a list of strings{(json ? " ([\"bash\", \"-c\"])" : " ([bash, -c])")}; it is {value.Describe()}.");
        }

        var items = new string[value.Items.Count];
        for (int i = 0; i < items.Length; i++)
        {
            EnvironmentFileNode item = value.Items[i];
            items[i] = item.Kind == EnvironmentFileNodeKind.Scalar
                ? item.Text!
                : throw Fail(item.Line, $"{where}[{i}] must be a string; it is {item.Describe()}.");
        }

        return items;
    }

    private EnvironmentFileException Fail(long line, string message) => new(path, line, message);
}
