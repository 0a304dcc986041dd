namespace Renku.PowerShell.Environments;

/// <summary>
/// The data service's limits for environment fields (session_api.spec.yaml), checked locally so a
/// bad value never reaches the server. Lengths are counted as the server counts them: the data
/// service validates with Pydantic, whose string length is Python's <c>len</c>, the number of
/// Unicode code points (an emoji is one character, not the two UTF-16 units .NET counts).
/// </summary>
public static class EnvironmentValidator
{
    public const int NameMaxLength = 99;
    public const int DescriptionMaxLength = 500;
    public const int ImageMinLength = 3;
    public const int ImageMaxLength = 500;
    public const int DefaultUrlMaxLength = 200;

    /// <summary>65400 and above are reserved for Renku's sidecars.</summary>
    public const int PortMax = 65399;
    public const int IdMax = 65535;

    private static readonly System.Text.RegularExpressions.Regex Ulid = new("^[0-7][0-9A-HJKMNP-TV-Z]{25}$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The length of <paramref name="text"/> as Renku counts it: Unicode code points (a surrogate pair is one; a lone surrogate also counts one, as in Python).</summary>
    public static int CountCharacters(string text)
    {
        int count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }

            count++;
        }

        return count;
    }

    /// <summary>True when <paramref name="id"/> has the form of a Renku id (a ULID).</summary>
    public static bool IsUlid(string? id) => id is not null && id.Length == 26 && Ulid.IsMatch(id);

    /// <summary>Every problem of a complete environment to create.</summary>
    public static IReadOnlyList<EnvironmentValidationProblem> Validate(EnvironmentSpec spec)
    {
        var problems = new List<EnvironmentValidationProblem>();
        foreach (string field in EnvironmentFields.All)
        {
            var problem = Check(field, spec.Get(field), forPatch: false);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    /// <summary>
    /// Checks one field value. In a patch an empty directory clears it and a null command/args
    /// clears them, so those are allowed there.
    /// </summary>
    /// <param name="subject">What the message calls the value: the cmdlet parameter (<c>-Port</c>, the default) or a file's key (<c>environments[2] (name: Broken).port</c>).</param>
    public static EnvironmentValidationProblem? Check(string field, object? value, bool forPatch, string? subject = null)
    {
        string what = subject ?? "-" + EnvironmentFields.ParameterName(field);
        switch (field)
        {
            case EnvironmentFields.Name:
                {
                    string text = value as string ?? string.Empty;
                    int length = CountCharacters(text);
                    return length is >= 1 and <= NameMaxLength && text.Trim().Length > 0
                        ? null
                        : new(field, value, $"{what} must be 1 to {NameMaxLength} characters and not blank; it has {length}.");
                }

            case EnvironmentFields.Description:
                {
                    string? text = value as string;
                    return text is null || CountCharacters(text) <= DescriptionMaxLength
                        ? null
                        : new(field, value, $"{what} must be at most {DescriptionMaxLength} characters; it has {CountCharacters(text)}.");
                }

            case EnvironmentFields.ContainerImage:
                {
                    string text = value as string ?? string.Empty;
                    int length = CountCharacters(text);
                    if (length is < ImageMinLength or > ImageMaxLength)
                    {
                        return new(field, value, $"{what} must be {ImageMinLength} to {ImageMaxLength} characters; it has {length}.");
                    }

                    return ImageReference.TryParse(text, out _, out string? error)
                        ? null
                        : new(field, value, $"{what} '{text}' is not a valid image reference: {error}");
                }

            case EnvironmentFields.DefaultUrl:
                {
                    string text = value as string ?? string.Empty;
                    int length = CountCharacters(text);
                    return length <= DefaultUrlMaxLength
                        ? null
                        : new(field, value, $"{what} must be at most {DefaultUrlMaxLength} characters; it has {length}.");
                }

            case EnvironmentFields.Port:
                return value is int port && port is >= 1 and <= PortMax
                    ? null
                    : new(field, value, $"{what} must be between 1 and {PortMax} (65400 and above are reserved for Renku); it is {value}.");

            case EnvironmentFields.Uid:
            case EnvironmentFields.Gid:
                return value is int id && id is >= 1 and <= IdMax
                    ? null
                    : new(field, value, $"{what} must be between 1 and {IdMax}; it is {value}.");

            case EnvironmentFields.WorkingDirectory:
            case EnvironmentFields.MountDirectory:
                {
                    string? text = value as string;
                    if (text is null || (forPatch && text.Length == 0))
                    {
                        return null;
                    }

                    return text.StartsWith('/')
                        ? null
                        : new(field, value, $"{what} must be an absolute path starting with '/'; it is '{text}'.");
                }

            case EnvironmentFields.Command:
            case EnvironmentFields.Args:
                {
                    if (value is null)
                    {
                        return null;
                    }

                    var items = value as string[] ?? Array.Empty<string>();
                    if (items.Length == 0)
                    {
                        return new(field, value, forPatch
                            ? $"{what} must have at least one item; pass $null to clear it."
                            : $"{what} must have at least one item; leave it out to keep the image's own.");
                    }

                    return items.Any(i => i is null)
                        ? new(field, value, $"{what} must not contain null items.")
                        : null;
                }

            default:
                return null;
        }
    }
}
