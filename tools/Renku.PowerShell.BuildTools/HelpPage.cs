namespace Renku.PowerShell.BuildTools;

/// <summary>One cmdlet's help, as read from a platyPS-style markdown page.</summary>
internal sealed class HelpPage
{
    public string Name { get; set; } = string.Empty;

    public string SourceFile { get; set; } = string.Empty;

    public string Synopsis { get; set; } = string.Empty;

    public List<string> Syntax { get; } = new();

    public List<string> SyntaxSets { get; } = new();

    public string Description { get; set; } = string.Empty;

    public List<HelpExample> Examples { get; } = new();

    public List<HelpParameter> Parameters { get; } = new();

    public List<HelpTypeEntry> Inputs { get; } = new();

    public List<HelpTypeEntry> Outputs { get; } = new();

    public string Notes { get; set; } = string.Empty;

    public List<(string Text, string Uri)> RelatedLinks { get; } = new();

    public string Verb => Name.Split('-', 2)[0];

    public string Noun => Name.Contains('-') ? Name.Split('-', 2)[1] : string.Empty;
}

internal sealed class HelpExample
{
    public string Title { get; set; } = string.Empty;

    public string Code { get; set; } = string.Empty;

    public string Remarks { get; set; } = string.Empty;
}

internal sealed class HelpParameter
{
    public string Name { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public List<HelpParameterSetEntry> Entries { get; } = new();
}

/// <summary>A parameter's attributes in one or more parameter sets (one yaml block of the page).</summary>
internal sealed class HelpParameterSetEntry
{
    public string Type { get; set; } = "Object";

    public List<string> Sets { get; } = new();

    public string Aliases { get; set; } = string.Empty;

    public bool Required { get; set; }

    public string Position { get; set; } = "Named";

    public string DefaultValue { get; set; } = "None";

    public string PipelineInput { get; set; } = "False";

    public bool Wildcards { get; set; }

    public bool AppliesTo(string set) => Sets.Count == 0 || Sets.Contains("(All)") || Sets.Contains(set);
}

internal sealed class HelpTypeEntry
{
    public string TypeName { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;
}
