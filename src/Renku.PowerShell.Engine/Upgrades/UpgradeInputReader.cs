using System.Text.RegularExpressions;
using Renku.PowerShell.Dockerfiles;

namespace Renku.PowerShell.Upgrades;

/// <summary>Turns image strings, environments and Dockerfiles into audit inputs.</summary>
public static class UpgradeInputReader
{
    private static readonly Regex WholeVariable = new(@"^\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))$", RegexOptions.CultureInvariant);
    private static readonly Regex TagVariable = new(@"^(?<image>[^$]+):\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}|(?<name>[A-Za-z_][A-Za-z0-9_]*))$", RegexOptions.CultureInvariant);

    public static UpgradeInput FromImage(string image) => new()
    {
        Image = image,
        SourceKind = UpgradeSourceKind.Image,
        Source = image,
    };

    public static UpgradeInput FromEnvironment(string? name, string? id, string image, object? origin, SessionSettings? settings = null) => new()
    {
        Settings = settings,
        Image = image,
        SourceKind = UpgradeSourceKind.Environment,
        Source = name is null ? id ?? image : id is null ? name : $"{name} ({id})",
        EnvironmentName = name,
        EnvironmentId = id,
        Origin = origin,
    };

    private static readonly HashSet<string> DockerfileKeywords = new(StringComparer.Ordinal)
    {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    };

    /// <summary>
    /// The inputs of a file: an environments file (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>) gives one per
    /// entry, any other file is read as a Dockerfile. A Dockerfile without a FROM, or a file that is
    /// neither, is an <see cref="UpgradeFileException"/>; an environments file that cannot be read is
    /// an <see cref="Environments.EnvironmentFileException"/>.
    /// </summary>
    public static IReadOnlyList<UpgradeInput> FromFile(string path) =>
        EnvironmentFileImages.IsEnvironmentsFile(path) ? EnvironmentFileImages.Read(path) : FromDockerfile(path);

    /// <summary>
    /// One input per FROM line that names an image (not <c>scratch</c>, not an earlier stage).
    /// A FROM that takes its image from an ARG default points at that default, so an update
    /// rewrites the ARG line.
    /// </summary>
    public static IReadOnlyList<UpgradeInput> FromDockerfile(string path)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        string text = DockerfileRewriter.ReadText(fullPath, out string contentDigest);
        DockerfileDocument document = DockerfileDocument.Parse(text, fullPath);
        if (document.Stages.Count == 0)
        {
            throw NoFrom(fullPath, document);
        }

        var inputs = new List<UpgradeInput>();
        var stageNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (DockerfileStage stage in document.Stages)
        {
            bool namesStage = stageNames.Contains(stage.BaseImage);
            if (stage.Name is not null)
            {
                stageNames.Add(stage.Name);
            }

            if (namesStage || stage.BaseStage is not null || string.Equals(stage.ResolvedBaseImage, "scratch", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            DockerfileImageSite? site = FindSite(document, stage);
            int line = site?.Line ?? stage.From.StartLine;
            inputs.Add(new UpgradeInput
            {
                Image = stage.UnsetVariables.Count == 0 ? stage.ResolvedBaseImage : stage.BaseImage,
                Unresolved = stage.UnsetVariables.Count == 0 ? null : string.Join("; ", stage.UnsetVariables),
                SourceKind = UpgradeSourceKind.Dockerfile,
                Source = $"{fullPath}:{stage.From.StartLine}",
                Path = fullPath,
                Line = stage.From.StartLine,
                Site = site,
                ContentDigest = contentDigest,
            });
        }

        return inputs;
    }

    /// <summary>Why a file without FROM gives nothing: a Dockerfile (by its name or its instructions) without a base image, or not a Dockerfile at all.</summary>
    private static UpgradeFileException NoFrom(string path, DockerfileDocument document)
    {
        string name = System.IO.Path.GetFileName(path);
        bool dockerfileName = name.Equals("Dockerfile", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Containerfile", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Containerfile.", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".dockerfile", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".containerfile", StringComparison.OrdinalIgnoreCase);
        bool dockerfileText = document.Instructions.Count > 0 && document.Instructions.All(i => DockerfileKeywords.Contains(i.Keyword));
        return dockerfileName || dockerfileText
            ? new UpgradeFileException(path, isDockerfile: true, $"The Dockerfile {path} has no FROM instruction, so it names no base image to audit.")
            : new UpgradeFileException(path, isDockerfile: false, $"{path} is neither a Dockerfile (it has no FROM instruction) nor an environments file (.yaml, .yml or .json), so it names no image to audit.");
    }

    private static DockerfileImageSite? FindSite(DockerfileDocument document, DockerfileStage stage)
    {
        DockerfileInstruction from = stage.From;
        (int offset, string token)? image = ImageToken(from);
        if (image is null)
        {
            return null;
        }

        (int tokenOffset, string token) = image.Value;
        if (!token.Contains('$'))
        {
            return new DockerfileImageSite { Offset = tokenOffset, Length = token.Length, Text = token, Line = LineOf(document.Text, tokenOffset) };
        }

        Match whole = WholeVariable.Match(token);
        Match tagOnly = TagVariable.Match(token);
        string? name = whole.Success ? whole.Groups["name"].Value : tagOnly.Success ? tagOnly.Groups["name"].Value : null;
        if (name is null)
        {
            return null;
        }

        // The ARG whose default the FROM uses: the last declaration before the first FROM.
        DockerfileInstruction? declaration = document.Instructions
            .Where(i => i.Keyword == "ARG" && i.StageIndex < 0)
            .LastOrDefault(i => ArgumentValueSite(i, name) is not null);
        if (declaration is null)
        {
            return null;
        }

        (int valueOffset, string value) = ArgumentValueSite(declaration, name)!.Value;
        return new DockerfileImageSite
        {
            Offset = valueOffset,
            Length = value.Length,
            Text = value,
            Line = LineOf(document.Text, valueOffset),
            ArgumentName = whole.Success ? name : name + ":tag",
        };
    }

    /// <summary>The image token of a FROM (after the keyword and any --flags), with its file offset.</summary>
    private static (int Offset, string Token)? ImageToken(DockerfileInstruction from)
    {
        string source = from.SourceText;
        int i = 0;
        bool keyword = true;
        while (i < source.Length)
        {
            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            int start = i;
            while (i < source.Length && !char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            if (start == i)
            {
                break;
            }

            string token = source.Substring(start, i - start);
            if (keyword)
            {
                keyword = false;
                continue;
            }

            if (token.StartsWith("--", StringComparison.Ordinal) || token == "\\" || token == "`")
            {
                continue;
            }

            return (from.StartOffset + start, token);
        }

        return null;
    }

    /// <summary>The default value of <paramref name="name"/> in an ARG instruction, without quotes, with its file offset.</summary>
    private static (int Offset, string Value)? ArgumentValueSite(DockerfileInstruction argument, string name)
    {
        Match match = Regex.Match(argument.SourceText, @"(?<=^|\s)" + Regex.Escape(name) + @"=(?<quote>[""']?)(?<value>[^\s""']*)\k<quote>(?=\s|$)", RegexOptions.CultureInvariant);
        if (!match.Success || match.Groups["value"].Length == 0)
        {
            return null;
        }

        return (argument.StartOffset + match.Groups["value"].Index, match.Groups["value"].Value);
    }

    private static int LineOf(string text, int offset)
    {
        int line = 1;
        for (int i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
