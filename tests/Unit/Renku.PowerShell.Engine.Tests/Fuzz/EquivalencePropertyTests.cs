using System.Text;

using CsCheck;

using NuGet.Versioning;

using Renku.PowerShell.Builds;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Images;
using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Fuzz;

/// <summary>
/// Where the module claims two things are the same, generated inputs (shrunk to the smallest
/// counterexample on failure) check it: formatting and parsing, ordering, rewriting, exporting.
/// </summary>
public sealed class EquivalencePropertyTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("renku-properties-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    // --- image references ---------------------------------------------------------------------

    private static readonly Gen<string> Component = Gen.Select(
        Gen.String[Gen.Char["abcz09"], 1, 4],
        Gen.OneOf(string.Empty, ".", "_", "__", "-", "--"),
        Gen.String[Gen.Char["abz19"], 1, 3],
        (a, separator, b) => separator.Length == 0 ? a : a + separator + b);

    private static readonly Gen<string?> Registry = Gen.OneOf(
        Gen.Const<string?>((string?)null),
        Gen.OneOf<string?>("docker.io", "index.docker.io", "ghcr.io", "localhost", "localhost:5000", "registry.example.org:5000", "[::1]:5000", "My.Registry", "r-1.example"));

    private static readonly Gen<string?> Tag = Gen.OneOf(
        Gen.Const<string?>((string?)null),
        Gen.Select(Gen.Char["aZ_9"], Gen.String[Gen.Char["aZ09_.-"], 0, 12], (first, rest) => (string?)(first + rest)));

    private static readonly Gen<string?> Digest = Gen.OneOf(
        Gen.Const<string?>((string?)null),
        Gen.OneOf(("sha256", 64), ("sha512", 128)).Select(Gen.String[Gen.Char["0123456789abcdef"], 1, 1], (a, c) => (string?)(a.Item1 + ":" + string.Concat(Enumerable.Repeat(c, a.Item2)))));

    [Fact]
    public void AnImageReferenceParsesBackToItselfAfterFormatting()
    {
        Gen.Select(Registry, Component.Array[1, 4], Tag, Digest).Sample((registry, path, tag, digest) =>
        {
            string written = (registry is null ? string.Empty : registry + "/") + string.Join('/', path) + (tag is null ? string.Empty : ":" + tag) + (digest is null ? string.Empty : "@" + digest);
            if (!ImageReference.TryParse(written, out ImageReference? parsed, out _))
            {
                return;
            }

            foreach (string formatted in new[] { parsed!.FullName, parsed.FamiliarName, parsed.ToString() })
            {
                ImageReference again = ImageReference.Parse(formatted);
                Assert.Equal(parsed, again);
                Assert.Equal((parsed.Registry, parsed.Repository, parsed.Tag, parsed.Digest), (again.Registry, again.Repository, again.Tag, again.Digest));
                Assert.Equal(parsed.FullName, again.FullName);
            }
        }, iter: 1000);
    }

    // --- tag versions -------------------------------------------------------------------------

    private static readonly Gen<string> TagText = Gen.OneOf(
        Gen.Select(
            Gen.OneOf(string.Empty, "v", "V"),
            Gen.Int[0, 30].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Array[1, 4],
            Gen.OneOf(string.Empty, "_1", "_12", "_7"),
            Gen.OneOf(string.Empty, "b1", "rc2", "a", "beta"),
            Gen.OneOf(string.Empty, "-rc1", "-rc.2", "-alpha", "-beta.1", "-ubuntu22.04", "-slim", "-ea", "-snapshot", "-1"),
            (v, parts, build, pre, rest) => v + string.Join('.', parts) + build + pre + rest),
        Gen.OneOf("latest", "1a2b3c4", "amd64-1a2b3c4", "22.04", "2024.01.15", "010", "1.0.0", "1.0", "1", "v1.0.0"),
        Gen.String[Gen.Char["0123456789.v_-abrc"], 1, 10]);

    [Fact]
    public void TagVersionsOrderAsATotalOrderConsistentWithEquality()
    {
        Gen.Select(TagText, TagText, TagText).Sample((a, b, c) =>
        {
            TagVersion x = TagVersion.Parse(a), y = TagVersion.Parse(b), z = TagVersion.Parse(c);
            Assert.Equal(0, TagVersion.Compare(x, x));
            Assert.Equal(Math.Sign(TagVersion.Compare(x, y)), -Math.Sign(TagVersion.Compare(y, x)));
            if (TagVersion.Compare(x, y) <= 0 && TagVersion.Compare(y, z) <= 0)
            {
                Assert.True(TagVersion.Compare(x, z) <= 0, $"{a} <= {b} <= {c} but not {a} <= {c}");
            }

            bool same = VersionComparer.Default.Equals(x.Version, y.Version) && x.Build == y.Build;
            Assert.Equal(same, TagVersion.Compare(x, y) == 0);
        }, iter: 2000);
    }

    [Fact]
    public void SortingTagsGivesOneOrderWhateverTheirOrderBefore()
    {
        TagText.Array[2, 12].Sample(tags =>
        {
            string[] sorted = tags.Select(t => TagVersion.Parse(t)).OrderBy(t => t, Comparer<TagVersion>.Create(TagVersion.Compare)).Select(t => t.Version?.ToNormalizedString() + "_" + t.Build).ToArray();
            string[] fromReversed = tags.Reverse().Select(t => TagVersion.Parse(t)).OrderBy(t => t, Comparer<TagVersion>.Create(TagVersion.Compare)).Select(t => t.Version?.ToNormalizedString() + "_" + t.Build).ToArray();
            Assert.Equal(sorted, fromReversed);
        }, iter: 1000);
    }

    // --- Dockerfile rewrite --------------------------------------------------------------------

    private static readonly Gen<string> FromImage = Gen.Select(Registry, Component.Array[1, 3], Tag, Digest, (registry, path, tag, digest) =>
        (registry is null || registry == "My.Registry" ? string.Empty : registry + "/") + string.Join('/', path) + (tag is null ? string.Empty : ":" + tag) + (digest is null ? string.Empty : "@" + digest));

    private static readonly Gen<string> Filler = Gen.OneOf(
        "# a comment: FROM old:1.0\n",
        "RUN echo FROM busybox:1 && \\\n    echo done\n",
        "\n",
        "ENV A=1 B=\"two words\"\n",
        "COPY --from=build /a /b\r\n",
        "# syntax=docker/dockerfile:1\n",
        "LABEL org.opencontainers.image.source=https://example.org\n");

    private static readonly Gen<string> FromLine = Gen.Select(
        Gen.OneOf("FROM", "from", "From"),
        Gen.OneOf(" ", "  ", "\t"),
        Gen.OneOf(string.Empty, "--platform=linux/amd64 ", "--platform=$BUILDPLATFORM "),
        FromImage,
        Gen.OneOf(string.Empty, " AS build", " as stage1", "  AS   final"),
        Gen.OneOf("\n", "\r\n", "   \n", " # trailing\n"),
        (keyword, space, flag, image, alias, end) => keyword + space + flag + image + alias + end);

    [Fact]
    public void UpdatingATagChangesOnlyTheTagAndDigestBytesItNames()
    {
        Gen.Select(Gen.Select(Filler.Array[0, 3], FromLine, (f, l) => string.Concat(f) + l).Array[1, 4], Tag, Digest, Gen.Bool).Sample((parts, newTag, newDigest, bom) =>
        {
            string text = (bom ? "\uFEFF" : string.Empty) + string.Concat(parts);
            string path = Path.Combine(directory, Guid.NewGuid().ToString("N"), "Dockerfile");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            string read = DockerfileRewriter.ReadText(path);
            IReadOnlyList<UpgradeInput> inputs;
            try
            {
                inputs = UpgradeInputReader.FromDockerfile(path);
            }
            catch (Exception ex) when (ex is UpgradeFileException or ImageReferenceException)
            {
                return;
            }

            string tag = newTag ?? "2.0";
            var changes = inputs.Where(i => i.Site is not null && i.Site.ArgumentName is null).Select(i => (Site: i.Site!, Replacement: ImageText.WithTag(i.Site!.Text, tag, newDigest))).ToList();
            string rewritten;
            try
            {
                rewritten = DockerfileRewriter.Rewrite(read, changes);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException($"{ex.Message}\n[{read}]\n" + string.Join("\n", changes.Select(c => $"{c.Site.Line}@{c.Site.Offset}+{c.Site.Length} '{c.Site.Text}' -> '{c.Replacement}'")), ex);
            }

            // Outside the sites, every character is where it was; inside, only the tag and digest differ.
            int cursor = 0, shift = 0;
            foreach (var (site, replacement) in changes.OrderBy(c => c.Site.Offset))
            {
                Assert.Equal(read.Substring(cursor, site.Offset - cursor), rewritten.Substring(cursor + shift, site.Offset - cursor));
                Assert.Equal(NameOf(site.Text), NameOf(replacement));
                Assert.Equal(replacement, rewritten.Substring(site.Offset + shift, replacement.Length));
                ImageReference before = ImageReference.Parse(site.Text), after = ImageReference.Parse(replacement);
                Assert.Equal((before.Registry, before.Repository, tag, newDigest), (after.Registry, after.Repository, after.Tag, after.Digest));
                shift += replacement.Length - site.Length;
                cursor = site.Offset + site.Length;
            }

            Assert.Equal(read.Substring(cursor), rewritten.Substring(cursor + shift));
        }, iter: 300);

        static string NameOf(string image)
        {
            string name = image.Split('@')[0];
            int colon = name.LastIndexOf(':');
            return colon > name.LastIndexOf('/') ? name.Substring(0, colon) : name;
        }
    }

    // --- environments files -------------------------------------------------------------------

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char["aZ 0-9:#'\"\\{}[],&*!|>%@`~?\t"], 0, 12],
        Gen.OneOf("null", "Null", "~", "true", "false", "yes", "no", "on", "8888", "0x10", "1e3", "-", "- a", ": b", " leading", "trailing ", "line\nbreak", "é ü 中文 🐍", "\u00a0nbsp", "'", "\"", "---", "...", "<<", "=", "#", "&anchor", "*alias", "!tag"));

    private static readonly Gen<string?> OptionalText = Gen.OneOf(Gen.Const<string?>((string?)null), Text.Select(t => (string?)t));

    private static readonly Gen<string[]?> OptionalList = Gen.OneOf(Gen.Const<string[]?>((string[]?)null), Text.Array[0, 3].Select(a => (string[]?)a));

    private static readonly Gen<GlobalEnvironment> Environment = Gen.Select(
        Gen.Select(Text, OptionalText, FromImage, Text),
        Gen.Select(Gen.Int, Gen.Int, Gen.Int),
        Gen.Select(OptionalText, OptionalText),
        Gen.Select(OptionalList, OptionalList, Gen.Bool, Gen.Bool),
        (a, numbers, dirs, rest) => new GlobalEnvironment
        {
            Id = "01J8" + a.Item1.GetHashCode().ToString("x", System.Globalization.CultureInfo.InvariantCulture),
            Name = a.Item1,
            Description = a.Item2,
            Image = a.Item3,
            DefaultUrl = a.Item4,
            Port = numbers.Item1,
            Uid = numbers.Item2,
            Gid = numbers.Item3,
            WorkingDirectory = dirs.Item1,
            MountDirectory = dirs.Item2,
            Command = rest.Item1,
            Args = rest.Item2,
            StripPathPrefix = rest.Item3,
            IsArchived = rest.Item4,
        });

    [Theory]
    [InlineData(".yaml")]
    [InlineData(".json")]
    public void ExportThenParseOfAnEnvironmentsFileRoundTripsEveryField(string extension)
    {
        Environment.Array[0, 4].Sample(environments =>
        {
            string path = Path.Combine(directory, Guid.NewGuid().ToString("N") + extension);
            EnvironmentFile.Write(path, environments);
            IReadOnlyList<EnvironmentFileItem> items = EnvironmentFile.ReadItems(path);
            Assert.Equal(environments.Length, items.Count);
            for (int i = 0; i < environments.Length; i++)
            {
                EnvironmentSpec expected = EnvironmentSpec.From(environments[i]);

                // An environment without a directory is written as an empty one, which reads back as
                // none; an empty description is none too (as the API's diff and patch treat it).
                expected.Description = string.IsNullOrEmpty(expected.Description) ? null : expected.Description;
                expected.WorkingDirectory = string.IsNullOrEmpty(expected.WorkingDirectory) ? null : expected.WorkingDirectory;
                expected.MountDirectory = string.IsNullOrEmpty(expected.MountDirectory) ? null : expected.MountDirectory;
                EnvironmentSpec actual = items[i].Spec;
                foreach (string field in EnvironmentFields.All)
                {
                    Assert.True(
                        Same(expected.Get(field), actual.Get(field)),
                        $"{field}: exported {Show(expected.Get(field))}, read back {Show(actual.Get(field))}\n{File.ReadAllText(path)}");
                }
            }
        }, iter: 150);

        static bool Same(object? a, object? b) => a is string[] x && b is string[] y ? x.SequenceEqual(y) : Equals(a, b);

        static string Show(object? value) => value is string[] list ? "[" + string.Join(", ", list.Select(s => "'" + s + "'")) + "]" : value is null ? "null" : "'" + value + "'";
    }

    // --- .dockerignore --------------------------------------------------------------------------

    private static readonly Gen<string> PatternPart = Gen.OneOf(
        Gen.String[Gen.Char["ab.-_+()$~=!"], 1, 3],
        Gen.OneOf("*", "?", "**", "**/", "/", "[ab]", "[^a]", "[a-c]", "\\*", "\\?", "\\["));

    private static readonly Gen<string> PathText = Gen.Select(Gen.String[Gen.Char["ab.-_+()$~=!*?["], 1, 4].Array[1, 4], parts => string.Join('/', parts));

    [Fact]
    public void ADockerignorePatternAndItsEscapedFormMatchTheSamePaths()
    {
        Gen.Select(PatternPart.Array[1, 6], PathText.Array[1, 8]).Sample((parts, paths) =>
        {
            // Docker matches a pattern that starts with "**" and has no other wildcard by its suffix
            // alone ("**file" excludes "dir/myfile"), and an escape makes it an expression that
            // needs a whole name ("**\$" does not exclude "a$"): the docker CLI itself does not
            // take the two forms as one there, so neither does this.
            string pattern = string.Concat(parts).TrimStart('!');
            // Patterns are cleaned as paths before they are read ("a/." is "a"), and an escaped '.'
            // is no longer a path step: the same holds for the docker CLI, so such patterns are left out.
            if (pattern.Length == 0 || pattern.StartsWith("**", StringComparison.Ordinal) || pattern.Split('/').Any(c => c is "." or ".." or "")
                || DockerIgnorePattern.SyntaxProblem(pattern) is not null)
            {
                return;
            }

            string escaped = Escape(pattern);
            DockerIgnore plain = DockerIgnore.Parse(pattern + "\n"), written = DockerIgnore.Parse(escaped + "\n");
            foreach (string path in paths)
            {
                Assert.True(plain.IsExcluded(path) == written.IsExcluded(path), $"'{pattern}' and '{escaped}' disagree on '{path}'");
            }
        }, iter: 1500);

        // Every punctuation character that stands for itself, outside character classes, written with a
        // backslash (an escaped letter or digit is an expression class in Docker's matcher: \d, \w).
        static string Escape(string pattern)
        {
            var result = new StringBuilder();
            bool inClass = false;
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '\\')
                {
                    result.Append(c).Append(pattern[++i]);
                }
                else if (inClass || c is '*' or '?' or '/' || char.IsAsciiLetterOrDigit(c))
                {
                    result.Append(c);
                    inClass &= c != ']';
                }
                else if (c == '[')
                {
                    result.Append(c);
                    inClass = true;
                }
                else
                {
                    result.Append('\\').Append(c);
                }
            }

            return result.ToString();
        }
    }
}
