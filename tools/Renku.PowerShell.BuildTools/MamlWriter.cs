using System.Xml.Linq;

namespace Renku.PowerShell.BuildTools;

/// <summary>Writes help pages as the MAML file PowerShell's Get-Help reads for binary cmdlets.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<HelpPage> pages)
    {
        var root = new XElement(
            Msh + "helpItems",
            new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (HelpPage page in pages.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
        {
            root.Add(WriteCommand(page));
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement WriteCommand(HelpPage page)
    {
        return new XElement(
            Command + "command",
            new XElement(
                Command + "details",
                new XElement(Command + "name", page.Name),
                new XElement(Command + "verb", page.Verb),
                new XElement(Command + "noun", page.Noun),
                Description(page.Synopsis)),
            Description(page.Description),
            new XElement(Command + "syntax", SyntaxItems(page)),
            new XElement(Command + "parameters", page.Parameters.Select(p => ParameterElement(p, p.Entries.FirstOrDefault() ?? new HelpParameterSetEntry()))),
            new XElement(Command + "inputTypes", page.Inputs.Select(i => new XElement(Command + "inputType", TypeElement(i.TypeName), Description(i.Description)))),
            new XElement(Command + "returnValues", page.Outputs.Select(o => new XElement(Command + "returnValue", TypeElement(o.TypeName), Description(o.Description)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(page.Notes))),
            new XElement(Command + "examples", page.Examples.Select(ExampleElement)),
            new XElement(Command + "relatedLinks", page.RelatedLinks.Select(l => new XElement(
                Maml + "navigationLink",
                new XElement(Maml + "linkText", l.Text),
                new XElement(Maml + "uri", l.Uri)))));
    }

    private static IEnumerable<XElement> SyntaxItems(HelpPage page)
    {
        List<string> sets = page.SyntaxSets.Count > 0 ? page.SyntaxSets : new List<string> { "(All)" };
        foreach (string set in sets)
        {
            var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", page.Name));
            foreach (HelpParameter parameter in page.Parameters)
            {
                HelpParameterSetEntry? entry = parameter.Entries.FirstOrDefault(e => e.AppliesTo(set));
                if (entry is not null)
                {
                    item.Add(ParameterElement(parameter, entry));
                }
            }

            yield return item;
        }
    }

    private static XElement ParameterElement(HelpParameter parameter, HelpParameterSetEntry entry)
    {
        bool isSwitch = entry.Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);
        var element = new XElement(
            Command + "parameter",
            new XAttribute("required", entry.Required ? "true" : "false"),
            new XAttribute("variableLength", entry.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", entry.Wildcards ? "true" : "false"),
            new XAttribute("pipelineInput", entry.PipelineInput),
            new XAttribute("position", entry.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : entry.Position),
            new XAttribute("aliases", string.IsNullOrWhiteSpace(entry.Aliases) ? "none" : entry.Aliases),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));
        if (!isSwitch)
        {
            element.Add(new XElement(
                Command + "parameterValue",
                new XAttribute("required", "true"),
                new XAttribute("variableLength", "false"),
                entry.Type));
        }

        element.Add(TypeElement(entry.Type));
        element.Add(new XElement(Dev + "defaultValue", entry.DefaultValue));
        return element;
    }

    private static XElement ExampleElement(HelpExample example) => new(
        Command + "example",
        new XElement(Maml + "title", "-------------------------- " + example.Title + " --------------------------"),
        new XElement(Dev + "code", example.Code),
        new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    private static XElement TypeElement(string typeName) => new(
        Dev + "type",
        new XElement(Maml + "name", typeName),
        new XElement(Maml + "uri"));

    private static XElement Description(string text) => new(Maml + "description", Paragraphs(text));

    private static IEnumerable<XElement> Paragraphs(string text) =>
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => new XElement(Maml + "para", p));
}
