using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Renku.PowerShell.BuildTools;

/// <summary>Reads a platyPS-style markdown page (schema 2.0.0) into a <see cref="HelpPage"/>.</summary>
internal static class HelpMarkdownReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static HelpPage Read(string path) => Parse(File.ReadAllText(path), path);

    public static HelpPage Parse(string markdown, string sourceName)
    {
        markdown = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        MarkdownDocument document = Markdown.Parse(markdown, Pipeline);
        var page = new HelpPage { SourceFile = sourceName };

        string section = string.Empty;
        HelpExample? example = null;
        HelpParameter? parameter = null;
        HelpTypeEntry? typeEntry = null;
        var text = new List<string>();

        void FlushText()
        {
            string joined = string.Join("\n\n", text).Trim();
            text.Clear();
            if (joined.Length == 0)
            {
                return;
            }

            switch (section)
            {
                case "SYNOPSIS": page.Synopsis = Append(page.Synopsis, joined); break;
                case "DESCRIPTION": page.Description = Append(page.Description, joined); break;
                case "NOTES": page.Notes = Append(page.Notes, joined); break;
                case "EXAMPLES" when example is not null: example.Remarks = Append(example.Remarks, joined); break;
                case "PARAMETERS" when parameter is not null: parameter.Description = Append(parameter.Description, joined); break;
                case "INPUTS" or "OUTPUTS" when typeEntry is not null: typeEntry.Description = Append(typeEntry.Description, joined); break;
                case "RELATED LINKS": break;
            }
        }

        foreach (Block block in document)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    FlushText();
                    string title = InlineText(heading.Inline).Trim();
                    if (heading.Level == 1)
                    {
                        page.Name = title;
                    }
                    else if (heading.Level == 2)
                    {
                        section = title.ToUpperInvariant();
                        example = null;
                        parameter = null;
                        typeEntry = null;
                    }
                    else if (heading.Level == 3)
                    {
                        switch (section)
                        {
                            case "SYNTAX":
                                page.SyntaxSets.Add(title.Replace("(Default)", string.Empty, StringComparison.Ordinal).Trim());
                                break;
                            case "EXAMPLES":
                                example = new HelpExample { Title = title };
                                page.Examples.Add(example);
                                break;
                            case "PARAMETERS":
                                parameter = title.StartsWith('-') ? new HelpParameter { Name = title.Substring(1) } : null;
                                if (parameter is not null)
                                {
                                    page.Parameters.Add(parameter);
                                }

                                break;
                            case "INPUTS":
                                typeEntry = new HelpTypeEntry { TypeName = title };
                                page.Inputs.Add(typeEntry);
                                break;
                            case "OUTPUTS":
                                typeEntry = new HelpTypeEntry { TypeName = title };
                                page.Outputs.Add(typeEntry);
                                break;
                        }
                    }

                    break;

                case FencedCodeBlock code:
                    FlushText();
                    string content = code.Lines.ToString().TrimEnd();
                    string info = code.Info ?? string.Empty;
                    if (section == "SYNTAX")
                    {
                        page.Syntax.Add(content);
                    }
                    else if (section == "EXAMPLES" && example is not null)
                    {
                        example.Code = Append(example.Code, content, "\n");
                    }
                    else if (section == "PARAMETERS" && parameter is not null && info.Equals("yaml", StringComparison.OrdinalIgnoreCase))
                    {
                        parameter.Entries.Add(ParseParameterYaml(content));
                    }

                    break;

                case Markdig.Extensions.Yaml.YamlFrontMatterBlock frontMatter:
                    // As platyPS does: the page's "online version" becomes the first related link,
                    // which is the address Get-Help -Online opens.
                    string? online = OnlineVersion(frontMatter.Lines.ToString());
                    if (online is not null)
                    {
                        page.RelatedLinks.Insert(0, ("Online Version:", online));
                    }

                    break;

                default:
                    if (section == "RELATED LINKS")
                    {
                        CollectLinks(block, page);
                    }
                    else
                    {
                        text.Add(markdown.Substring(block.Span.Start, block.Span.Length).Trim());
                    }

                    break;
            }
        }

        FlushText();
        return page;
    }

    private static string? OnlineVersion(string frontMatter)
    {
        foreach (string line in frontMatter.Split('\n'))
        {
            if (line.StartsWith("online version:", StringComparison.OrdinalIgnoreCase))
            {
                string value = line.Substring("online version:".Length).Trim();
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }

    private static HelpParameterSetEntry ParseParameterYaml(string yaml)
    {
        var entry = new HelpParameterSetEntry();
        foreach (string rawLine in yaml.Split('\n'))
        {
            int colon = rawLine.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            string key = rawLine.Substring(0, colon).Trim();
            string value = rawLine.Substring(colon + 1).Trim();
            switch (key)
            {
                case "Type": entry.Type = value; break;
                case "Parameter Sets":
                    entry.Sets.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "Aliases": entry.Aliases = value; break;
                case "Required": entry.Required = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                case "Position": entry.Position = value; break;
                case "Default value": entry.DefaultValue = value; break;
                case "Accept pipeline input": entry.PipelineInput = value; break;
                case "Accept wildcard characters": entry.Wildcards = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
            }
        }

        return entry;
    }

    private static void CollectLinks(Block block, HelpPage page)
    {
        foreach (LinkInline link in block.Descendants<LinkInline>())
        {
            page.RelatedLinks.Add((InlineText(link), link.Url ?? string.Empty));
        }
    }

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return string.Empty;
        }

        var builder = new System.Text.StringBuilder();
        foreach (Inline child in inline)
        {
            switch (child)
            {
                case LiteralInline literal: builder.Append(literal.Content.ToString()); break;
                case CodeInline code: builder.Append(code.Content); break;
                case ContainerInline container: builder.Append(InlineText(container)); break;
            }
        }

        return builder.ToString();
    }

    private static string Append(string existing, string addition, string separator = "\n\n") =>
        existing.Length == 0 ? addition : existing + separator + addition;
}
