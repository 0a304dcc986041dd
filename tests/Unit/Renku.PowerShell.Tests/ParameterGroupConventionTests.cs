using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// Shared parameters are static and declared once. A parameter group is an interface marked
/// <c>IParameterGroup</c> with a template class beside it; every cmdlet that implements the
/// interface declares each of its parameters exactly as the template does (type, attributes,
/// aliases, validation, pipeline binding, help message, default, and the comment taken from the
/// template); only parameter-set membership and Mandatory per set may differ. A cmdlet that does
/// not take a group declares none of its parameter names, and every parameter-set name is a
/// constant of <c>ParameterSets</c>.
/// </summary>
public class ParameterGroupConventionTests
{
    private const string Namespace = "Renku.PowerShell.Commands.Parameters";

    /// <summary>
    /// Cmdlets that declare a parameter named as one of a group's without taking the group, because
    /// theirs means something else.
    /// </summary>
    private static readonly Dictionary<(string Cmdlet, string Group), string> SameNameOtherMeaning = new()
    {
        [("Build-RenkuImage", "IRegistryAccessParameters")] = "-Credential is the credential a build pushes with; the build reads no registry itself.",
        [("Build-RenkuImage", "IClusterTargetParameters")] = "-Context is an alias of -Path, the build context; a build targets no cluster.",
        [("Test-RenkuImageCompliance", "IUpgradePolicyParameters")] = "-ThrottleLimit counts the images checked at once (32, or 4 with -Runtime), not the repositories listed.",
        [("New-RenkuGlobalEnvironment", "ISessionSettingsParameters")] = "The environment's own fields, sent to Renku and checked by Renku's rules with their own errors.",
        [("Set-RenkuGlobalEnvironment", "ISessionSettingsParameters")] = "The environment's own fields, sent to Renku and checked by Renku's rules with their own errors.",
    };

    private static readonly Lazy<Dictionary<string, Type>> Cmdlets = new(() =>
        ModuleHost.Run("Get-Command -Module Renku.PowerShell -CommandType Cmdlet | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Type = $_.ImplementingType } }")
            .ShouldSucceed().Output
            .ToDictionary(o => (string)o.Properties["Name"].Value, o => (Type)o.Properties["Type"].Value));

    private static Assembly ModuleAssembly => Cmdlets.Value.Values.First().Assembly;

    private static Type Marker => ModuleAssembly.GetType(Namespace + ".IParameterGroup", throwOnError: true)!;

    private static IReadOnlyList<Type> Groups =>
        ModuleAssembly.GetTypes().Where(t => t.IsInterface && t != Marker && Marker.IsAssignableFrom(t)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    public static IEnumerable<object[]> CmdletNames() => Cmdlets.Value.Keys.OrderBy(n => n, StringComparer.Ordinal).Select(n => new object[] { n });

    public static IEnumerable<object[]> GroupNames() => Groups.Select(g => new object[] { g.Name });

    [Fact]
    public void TheGroupsAreThoseTheCmdletsShare()
    {
        Assert.Equal(
            new[] { "IClusterTargetParameters", "ICompliancePolicyParameters", "IRecordDigestParameters", "IRegistryAccessParameters", "ISessionSettingsParameters", "IUpgradePolicyParameters" },
            Groups.Select(g => g.Name).ToArray());
    }

    [Theory]
    [MemberData(nameof(GroupNames))]
    public void EveryGroupHasOneTemplateDeclaringEachParameter(string groupName)
    {
        Type group = Groups.Single(g => g.Name == groupName);
        Type template = TemplateOf(group);
        Assert.True(group.GetProperties().Length > 0, $"{groupName} declares no parameter.");
        foreach (PropertyInfo property in group.GetProperties())
        {
            PropertyInfo? declared = template.GetProperty(property.Name, BindingFlags.Public | BindingFlags.Instance);
            Assert.True(declared is not null && declared.IsDefined(typeof(ParameterAttribute)), $"The template {template.Name} does not declare -{property.Name} as a [Parameter].");
            Assert.Equal(property.PropertyType, declared!.PropertyType);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void GroupParametersAreDeclaredAsInTheirTemplate(string cmdletName)
    {
        Type cmdlet = Cmdlets.Value[cmdletName];
        var problems = new List<string>();
        foreach (Type group in Groups.Where(g => g.IsAssignableFrom(cmdlet)))
        {
            problems.AddRange(DeclarationProblems(TemplateOf(group), cmdlet, group.GetProperties().Select(p => p.Name)));
            problems.AddRange(CommentProblems(cmdlet, group));
        }

        Assert.True(problems.Count == 0, $"{cmdletName}:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ACmdletDeclaresNoGroupParameterWithoutTheGroup(string cmdletName)
    {
        Type cmdlet = Cmdlets.Value[cmdletName];
        foreach (Type group in Groups.Where(g => !g.IsAssignableFrom(cmdlet)))
        {
            string[] clash = Clash(cmdlet, group);
            if (clash.Length > 0 && !SameNameOtherMeaning.ContainsKey((cmdletName, group.Name)))
            {
                Assert.Fail($"{cmdletName} declares {string.Join(", ", clash)} of {group.Name} without implementing it: implement the group, or name the parameter otherwise.");
            }
        }
    }

    [Fact]
    public void EverySameNameExceptionIsStillNeeded()
    {
        foreach (var ((cmdletName, groupName), _) in SameNameOtherMeaning)
        {
            Type cmdlet = Cmdlets.Value[cmdletName];
            Type group = Groups.Single(g => g.Name == groupName);
            Assert.False(group.IsAssignableFrom(cmdlet), $"{cmdletName} now takes {groupName}; drop its exception.");
            Assert.True(Clash(cmdlet, group).Length > 0, $"{cmdletName} no longer declares a parameter of {groupName}; drop its exception.");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void NoCmdletHasDynamicParameters(string cmdletName) =>
        Assert.False(typeof(IDynamicParameters).IsAssignableFrom(Cmdlets.Value[cmdletName]), $"{cmdletName} offers dynamic parameters; declare them as static parameters (a parameter group if several cmdlets share them).");

    [Fact]
    public void EveryParameterSetNameIsAConstantOfParameterSets()
    {
        HashSet<string> constants = ParameterSetConstants();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var (name, cmdlet) in Cmdlets.Value)
        {
            CmdletAttribute attribute = cmdlet.GetCustomAttribute<CmdletAttribute>()!;
            var sets = cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .SelectMany(p => p.GetCustomAttributes<ParameterAttribute>())
                .Select(p => p.ParameterSetName)
                .Append(attribute.DefaultParameterSetName)
                .Where(s => s is not null && s != ParameterAttribute.AllParameterSets);
            foreach (string set in sets!)
            {
                used.Add(set);
                if (!constants.Contains(set))
                {
                    unknown.Add($"{name}: '{set}'");
                }
            }
        }

        Assert.True(unknown.Count == 0, "Parameter sets not named by a ParameterSets constant: " + string.Join(", ", unknown));
        Assert.True(constants.SetEquals(used), "ParameterSets constants no cmdlet uses: " + string.Join(", ", constants.Except(used)));
    }

    // ---- The check must be able to fail: declarations that differ from a template ----------------

    [Fact]
    public void TheSameDeclarationPassesWhateverItsParameterSets()
    {
        Assert.Empty(DeclarationProblems(typeof(Template), typeof(SameInOtherSets), new[] { nameof(Template.Name), nameof(Template.Count), nameof(Template.Wait) }));
    }

    [Theory]
    [InlineData(typeof(OtherType), "type")]
    [InlineData(typeof(OtherAlias), "aliases")]
    [InlineData(typeof(OtherValidation), "attributes")]
    [InlineData(typeof(MissingValidation), "attributes")]
    [InlineData(typeof(OtherPipelineBinding), "[Parameter(")]
    [InlineData(typeof(OtherHelpMessage), "[Parameter(")]
    [InlineData(typeof(OtherPosition), "[Parameter(")]
    [InlineData(typeof(OtherDefault), "default")]
    [InlineData(typeof(NotAParameter), "not a [Parameter]")]
    public void ADeclarationThatDiffersFromItsTemplateFails(Type declaring, string expected)
    {
        string[] names = declaring.GetProperties().Select(p => p.Name).ToArray();
        IReadOnlyList<string> problems = DeclarationProblems(typeof(Template), declaring, names);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    // ---- How declarations are compared ----------------------------------------------------------

    private static Type TemplateOf(Type group)
    {
        Type[] templates = ModuleAssembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && group.IsAssignableFrom(t) && !t.IsDefined(typeof(CmdletAttribute)))
            .ToArray();
        Type template = Assert.Single(templates);
        Assert.Equal(group.Name.Substring(1), template.Name);
        Assert.Equal(Namespace, template.Namespace);
        return template;
    }

    /// <summary>Each difference between the template's declaration of <paramref name="names"/> and <paramref name="declaring"/>'s.</summary>
    private static IReadOnlyList<string> DeclarationProblems(Type template, Type declaring, IEnumerable<string> names)
    {
        var problems = new List<string>();
        object templateInstance = Activator.CreateInstance(template, nonPublic: true)!;
        object declaringInstance = Activator.CreateInstance(declaring, nonPublic: true)!;
        try
        {
            foreach (string name in names)
            {
                PropertyInfo expected = template.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)!;
                PropertyInfo? actual = declaring.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                ParameterAttribute[] parameters = actual?.GetCustomAttributes<ParameterAttribute>().ToArray() ?? Array.Empty<ParameterAttribute>();
                if (parameters.Length == 0)
                {
                    problems.Add($"-{name} is not a [Parameter] of {declaring.Name}.");
                    continue;
                }

                if (actual!.PropertyType != expected.PropertyType)
                {
                    problems.Add($"-{name}: type {actual.PropertyType} instead of {expected.PropertyType}.");
                }

                string[] expectedAliases = Aliases(expected);
                string[] actualAliases = Aliases(actual);
                if (!expectedAliases.SequenceEqual(actualAliases))
                {
                    problems.Add($"-{name}: aliases {string.Join(",", actualAliases)} instead of {string.Join(",", expectedAliases)}.");
                }

                string[] expectedAttributes = OtherAttributes(expected);
                string[] actualAttributes = OtherAttributes(actual);
                if (!expectedAttributes.SequenceEqual(actualAttributes))
                {
                    problems.Add($"-{name}: attributes {string.Join(" ", actualAttributes)} instead of {string.Join(" ", expectedAttributes)}.");
                }

                string expectedParameter = ParameterDeclaration(expected).Single();
                foreach (string parameter in ParameterDeclaration(actual))
                {
                    if (parameter != expectedParameter)
                    {
                        problems.Add($"-{name}: [Parameter({parameter})] instead of [Parameter({expectedParameter})] (only ParameterSetName and Mandatory may differ).");
                    }
                }

                string expectedDefault = Format(expected.GetValue(templateInstance));
                string actualDefault = Format(actual.GetValue(declaringInstance));
                if (expectedDefault != actualDefault)
                {
                    problems.Add($"-{name}: default {actualDefault} instead of {expectedDefault}.");
                }
            }
        }
        finally
        {
            (declaringInstance as IDisposable)?.Dispose();
        }

        return problems;
    }

    /// <summary>Each group parameter of <paramref name="cmdlet"/> whose comment is not the template's (an inheritdoc of it).</summary>
    private static IEnumerable<string> CommentProblems(Type cmdlet, Type group)
    {
        string[] files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "Renku.PowerShell", "Commands"), cmdlet.Name + ".cs", SearchOption.AllDirectories);
        if (files.Length != 1)
        {
            yield return $"the source of {cmdlet.Name} is not one file under src/Renku.PowerShell/Commands.";
            yield break;
        }

        string source = File.ReadAllText(files[0]);
        string template = group.Name.Substring(1);
        foreach (PropertyInfo property in group.GetProperties())
        {
            var declaration = new Regex(@"///\s*<inheritdoc cref=""" + template + @"\." + property.Name + @"""\s*/>\s*\n(\s*\[[^\n]*\]\s*\n)+\s*public [^\n]*\b" + property.Name + @" \{");
            if (!declaration.IsMatch(source))
            {
                yield return $"-{property.Name}: the declaration's comment is not <inheritdoc cref=\"{template}.{property.Name}\"/> (the template holds the one comment).";
            }
        }
    }

    /// <summary>The names (and aliases) of <paramref name="group"/> that <paramref name="cmdlet"/> also declares.</summary>
    private static string[] Clash(Type cmdlet, Type group)
    {
        Type template = TemplateOf(group);
        var groupNames = new HashSet<string>(group.GetProperties().SelectMany(p => Aliases(template.GetProperty(p.Name)!).Prepend(p.Name)), StringComparer.OrdinalIgnoreCase);
        return cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(ParameterAttribute)))
            .SelectMany(p => Aliases(p).Prepend(p.Name))
            .Where(groupNames.Contains)
            .Select(n => "-" + n)
            .ToArray();
    }

    private static string[] Aliases(PropertyInfo property) =>
        property.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The [Parameter] attributes as declared, without ParameterSetName and Mandatory.</summary>
    private static IEnumerable<string> ParameterDeclaration(PropertyInfo property) =>
        property.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(ParameterAttribute))
            .Select(a => string.Join(", ", a.NamedArguments
                .Where(n => n.MemberName is not nameof(ParameterAttribute.ParameterSetName) and not nameof(ParameterAttribute.Mandatory))
                .Select(n => n.MemberName + " = " + Format(n.TypedValue))
                .OrderBy(n => n, StringComparer.Ordinal)));

    /// <summary>Every other attribute (validation, transformation, completion, credential) as declared.</summary>
    private static string[] OtherAttributes(PropertyInfo property) =>
        property.GetCustomAttributesData()
            .Where(a => a.AttributeType != typeof(ParameterAttribute) && a.AttributeType != typeof(AliasAttribute) && a.AttributeType.Namespace != "System.Runtime.CompilerServices")
            .Select(a => a.AttributeType.FullName + "(" + string.Join(", ", a.ConstructorArguments.Select(Format).Concat(a.NamedArguments.Select(n => n.MemberName + " = " + Format(n.TypedValue)))) + ")")
            .OrderBy(a => a, StringComparer.Ordinal)
            .ToArray();

    private static string Format(CustomAttributeTypedArgument argument) => argument.Value switch
    {
        IEnumerable<CustomAttributeTypedArgument> items => "[" + string.Join(", ", items.Select(Format)) + "]",
        Type type => "typeof(" + type.FullName + ")",
        string text => "\"" + text + "\"",
        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };

    private static string Format(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        SwitchParameter flag => flag.IsPresent ? "present" : "absent",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };

    private static HashSet<string> ParameterSetConstants()
    {
        Type type = ModuleAssembly.GetType(Namespace + ".ParameterSets", throwOnError: true)!;
        FieldInfo[] fields = type.GetFields(BindingFlags.Public | BindingFlags.Static);
        Assert.All(fields, f => Assert.True(f.IsLiteral && f.FieldType == typeof(string), $"ParameterSets.{f.Name} is not a string constant."));
        Assert.All(fields, f => Assert.Equal(f.Name, (string)f.GetRawConstantValue()!));
        return fields.Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
    }

    // ---- A template and declarations that differ from it, one way each ---------------------------

    private sealed class Template
    {
        [Parameter(ValueFromPipelineByPropertyName = true, HelpMessage = "a name")]
        [Alias("n", "title")]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int Count { get; set; } = 8;

        [Parameter]
        public SwitchParameter Wait { get; set; }
    }

    private sealed class SameInOtherSets
    {
        [Parameter(ParameterSetName = "A", Mandatory = true, ValueFromPipelineByPropertyName = true, HelpMessage = "a name")]
        [Parameter(ParameterSetName = "B", ValueFromPipelineByPropertyName = true, HelpMessage = "a name")]
        [ValidateNotNullOrEmpty]
        [Alias("title", "n")]
        public string? Name { get; set; }

        [Parameter(ParameterSetName = "A")]
        [ValidateRange(1, 64)]
        public int Count { get; set; } = 8;

        [Parameter(Mandatory = true)]
        public SwitchParameter Wait { get; set; }
    }

    private sealed class OtherType
    {
        [Parameter]
        [ValidateRange(1, 64)]
        public long Count { get; set; } = 8;
    }

    private sealed class OtherAlias
    {
        [Parameter(ValueFromPipelineByPropertyName = true, HelpMessage = "a name")]
        [Alias("n")]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }
    }

    private sealed class OtherValidation
    {
        [Parameter]
        [ValidateRange(1, 65)]
        public int Count { get; set; } = 8;
    }

    private sealed class MissingValidation
    {
        [Parameter(ValueFromPipelineByPropertyName = true, HelpMessage = "a name")]
        [Alias("n", "title")]
        public string? Name { get; set; }
    }

    private sealed class OtherPipelineBinding
    {
        [Parameter(HelpMessage = "a name")]
        [Alias("n", "title")]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }
    }

    private sealed class OtherHelpMessage
    {
        [Parameter(ValueFromPipelineByPropertyName = true, HelpMessage = "the name")]
        [Alias("n", "title")]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }
    }

    private sealed class OtherPosition
    {
        [Parameter(Position = 0)]
        public SwitchParameter Wait { get; set; }
    }

    private sealed class OtherDefault
    {
        [Parameter]
        [ValidateRange(1, 64)]
        public int Count { get; set; } = 4;
    }

    private sealed class NotAParameter
    {
        [ValidateRange(1, 64)]
        public int Count { get; set; } = 8;
    }
}
