using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Renku.PowerShell.Dockerfiles;

/// <summary>
/// Reads Dockerfile text the way BuildKit's front end does for the parts that matter here:
/// parser directives, comments, line continuations (with comment and blank lines inside them),
/// heredocs, instruction flags, the exec (JSON) form, ARG defaults and FROM ... AS stages.
/// </summary>
internal static class DockerfileParser
{
    private static readonly HashSet<string> KnownDirectives = new(StringComparer.OrdinalIgnoreCase) { "syntax", "escape", "check" };
    private static readonly Regex DirectivePattern = new(@"^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex HeredocPattern = new(@"<<(-?)([""']?)([A-Za-z_][A-Za-z0-9_]*)\2", RegexOptions.CultureInvariant);
    private static readonly Regex VariablePattern = new(@"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))", RegexOptions.CultureInvariant);

    internal static DockerfileDocument Parse(string text, string? path, IReadOnlyDictionary<string, string>? buildArguments)
    {
        List<(int Start, int End)> lines = SplitLines(text);
        var directives = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int index = 0;
        for (; index < lines.Count; index++)
        {
            Match match = DirectivePattern.Match(Line(text, lines[index]));
            if (!match.Success || !KnownDirectives.Contains(match.Groups[1].Value) || directives.ContainsKey(match.Groups[1].Value))
            {
                break;
            }

            directives[match.Groups[1].Value.ToLowerInvariant()] = match.Groups[2].Value;
        }

        char escape = directives.TryGetValue("escape", out string? escapeValue) && escapeValue == "`" ? '`' : '\\';

        var instructions = new List<DockerfileInstruction>();
        var globalArguments = new Dictionary<string, string?>(StringComparer.Ordinal);
        var stages = new List<StageBuilder>();
        while (index < lines.Count)
        {
            string line = Line(text, lines[index]);
            string trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                index++;
                continue;
            }

            int first = index;
            int startOffset = lines[index].Start + (line.Length - trimmed.Length);
            var logical = new StringBuilder();
            string current = trimmed;
            while (true)
            {
                string end = current.TrimEnd();
                if (end.Length == 0 || end[^1] != escape)
                {
                    logical.Append(current);
                    break;
                }

                logical.Append(end, 0, end.Length - 1);

                // Blank and comment lines inside a continuation belong to the instruction's span but not its text.
                int next = index + 1;
                while (next < lines.Count && IsBlankOrComment(Line(text, lines[next])))
                {
                    next++;
                }

                if (next >= lines.Count)
                {
                    break;
                }

                index = next;
                current = Line(text, lines[index]);
            }

            string joined = logical.ToString().Trim();
            int split = IndexOfWhitespace(joined);
            string keyword = (split < 0 ? joined : joined[..split]).ToUpperInvariant();
            string rest = split < 0 ? string.Empty : joined[split..].Trim();

            if (keyword is "RUN" or "COPY" or "ADD")
            {
                // Heredocs: the body runs to the terminator line and is part of the instruction.
                foreach (Match heredoc in HeredocPattern.Matches(rest))
                {
                    bool stripTabs = heredoc.Groups[1].Value == "-";
                    string terminator = heredoc.Groups[3].Value;
                    var body = new StringBuilder();
                    while (index + 1 < lines.Count)
                    {
                        index++;
                        string bodyLine = Line(text, lines[index]);
                        string compared = stripTabs ? bodyLine.TrimStart('\t') : bodyLine;
                        if (compared == terminator)
                        {
                            break;
                        }

                        body.Append('\n').Append(bodyLine);
                    }

                    rest += body.ToString();
                }
            }

            var flags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (rest.StartsWith("--", StringComparison.Ordinal))
            {
                int flagEnd = IndexOfWhitespace(rest);
                string flag = flagEnd < 0 ? rest : rest[..flagEnd];
                int equals = flag.IndexOf('=');
                flags[equals < 0 ? flag[2..] : flag[2..equals]] = equals < 0 ? string.Empty : flag[(equals + 1)..];
                rest = flagEnd < 0 ? string.Empty : rest[flagEnd..].TrimStart();
            }

            int endOffset = lines[index].End;
            var instruction = new DockerfileInstruction
            {
                Keyword = keyword,
                Arguments = rest,
                Flags = flags,
                ExecForm = keyword is "RUN" or "CMD" or "ENTRYPOINT" or "SHELL" ? TryParseExecForm(rest) : null,
                StartLine = first + 1,
                EndLine = index + 1,
                StartOffset = startOffset,
                Length = endOffset - startOffset,
                SourceText = text[startOffset..endOffset],
                StageIndex = keyword == "FROM" ? stages.Count : stages.Count - 1,
            };
            instructions.Add(instruction);
            index++;

            if (keyword == "FROM")
            {
                stages.Add(new StageBuilder(instruction));
            }
            else if (stages.Count == 0)
            {
                if (keyword == "ARG")
                {
                    foreach ((string name, string? value) in ParseArgDeclarations(rest))
                    {
                        globalArguments[name] = buildArguments is not null && buildArguments.TryGetValue(name, out string? given) ? given : value;
                    }
                }
            }
            else
            {
                stages[^1].Instructions.Add(instruction);
            }
        }

        var built = new List<DockerfileStage>();
        foreach (StageBuilder stage in stages)
        {
            built.Add(stage.Build(built, globalArguments));
        }

        return new DockerfileDocument
        {
            Path = path,
            Text = text,
            Directives = directives,
            EscapeCharacter = escape,
            Instructions = instructions,
            GlobalArguments = globalArguments,
            Stages = built,
        };
    }

    /// <summary>Substitutes <c>$NAME</c>, <c>${NAME}</c>, <c>${NAME:-default}</c> and <c>${NAME:+alternative}</c>.</summary>
    internal static string Substitute(string value, IReadOnlyDictionary<string, string?> variables) =>
        VariablePattern.Replace(value, match =>
        {
            string name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[4].Value;
            variables.TryGetValue(name, out string? found);
            string op = match.Groups[2].Value;
            string word = match.Groups[3].Value;
            return op switch
            {
                ":-" => string.IsNullOrEmpty(found) ? word : found,
                "-" => found ?? word,
                ":+" => string.IsNullOrEmpty(found) ? string.Empty : word,
                "+" => found is null ? string.Empty : word,
                _ => found ?? string.Empty,
            };
        });

    /// <summary>
    /// What a reference to a variable that has no value says, for each such reference in
    /// <paramref name="value"/> (a default written in the reference, <c>${NAME:-word}</c>, is a value).
    /// </summary>
    internal static IReadOnlyList<string> UnsetVariables(string value, IReadOnlyDictionary<string, string?> variables)
    {
        var unset = new List<string>();
        foreach (Match match in VariablePattern.Matches(value))
        {
            string name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[4].Value;
            bool declared = variables.TryGetValue(name, out string? found);
            string op = match.Groups[2].Value;
            bool hasValue = op switch
            {
                ":-" or "-" => !string.IsNullOrEmpty(found) || match.Groups[3].Value.Length > 0,
                ":+" or "+" => true,
                _ => !string.IsNullOrEmpty(found),
            };
            if (!hasValue)
            {
                unset.Add(declared
                    ? $"`{match.Value}` has no value: its ARG has no default and none was given"
                    : $"`{match.Value}` has no value: no ARG declares it");
            }
        }

        return unset;
    }

    internal static IEnumerable<(string Name, string? Value)> ParseArgDeclarations(string arguments)
    {
        foreach (string part in SplitWords(arguments))
        {
            int equals = part.IndexOf('=');
            yield return equals < 0 ? (part, null) : (part[..equals], Unquote(part[(equals + 1)..]));
        }
    }

    private static IReadOnlyList<string>? TryParseExecForm(string arguments)
    {
        if (!arguments.StartsWith('['))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<string[]>(arguments);
        }
        catch (JsonException)
        {
            // Docker runs a malformed JSON array through the shell, so it is the shell form.
            return null;
        }
    }

    private static IEnumerable<string> SplitWords(string text)
    {
        var word = new StringBuilder();
        char quote = '\0';
        foreach (char c in text)
        {
            if (quote != '\0')
            {
                word.Append(c);
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                word.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private static int IndexOfWhitespace(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsBlankOrComment(string line)
    {
        string trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    private static string Line(string text, (int Start, int End) line) => text[line.Start..line.End];

    private static List<(int Start, int End)> SplitLines(string text)
    {
        var lines = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                int end = i > start && text[i - 1] == '\r' ? i - 1 : i;
                lines.Add((start, end));
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add((start, text.Length));
        }

        return lines;
    }

    private sealed class StageBuilder
    {
        internal StageBuilder(DockerfileInstruction from)
        {
            From = from;
        }

        internal DockerfileInstruction From { get; }

        internal List<DockerfileInstruction> Instructions { get; } = new();

        internal DockerfileStage Build(IReadOnlyList<DockerfileStage> earlier, IReadOnlyDictionary<string, string?> globalArguments)
        {
            string[] words = SplitWords(From.Arguments).ToArray();
            string image = words.Length > 0 ? words[0] : string.Empty;
            string? name = words.Length >= 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
            string resolved = Substitute(image, globalArguments);
            DockerfileStage? baseStage = earlier.LastOrDefault(s => s.Name is not null && string.Equals(s.Name, resolved, StringComparison.OrdinalIgnoreCase));
            return new DockerfileStage
            {
                Index = earlier.Count,
                Name = name,
                BaseImage = image,
                ResolvedBaseImage = resolved,
                UnsetVariables = UnsetVariables(image, globalArguments),
                BaseStage = baseStage,
                Platform = From.Flags.TryGetValue("platform", out string? platform) ? platform : null,
                From = From,
                Instructions = Instructions,
            };
        }
    }
}
