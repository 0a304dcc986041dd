namespace Renku.PowerShell.Environments;

/// <summary>The stable ids of environments file problems (values Renku would refuse keep their field's <c>InvalidEnvironment</c> id).</summary>
public static class EnvironmentFileErrorIds
{
    /// <summary>The text cannot be read as YAML or JSON (or as UTF-8, or is too large or too deep).</summary>
    public const string SyntaxError = "EnvironmentFileSyntaxError";

    /// <summary>The file is not a top-level <c>environments</c> list of entries, or an entry is not a mapping.</summary>
    public const string ShapeInvalid = "EnvironmentFileShapeInvalid";

    public const string UnknownKey = "EnvironmentFileUnknownKey";

    public const string WrongType = "EnvironmentFileWrongType";

    /// <summary>Two entries of the file have the same name.</summary>
    public const string DuplicateName = "DuplicateEnvironmentName";

    /// <summary>True for a problem of reading the file (syntax, shape, key, type), which comes before the values it may explain.</summary>
    public static bool IsReadingProblem(string errorId) => errorId is SyntaxError or ShapeInvalid or UnknownKey or WrongType;
}
