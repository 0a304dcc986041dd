namespace Renku.PowerShell.Environments;

/// <summary>One value the data API would refuse, found before anything is sent.</summary>
public sealed class EnvironmentValidationProblem
{
    public EnvironmentValidationProblem(string field, object? value, string message)
    {
        Field = field;
        Value = value;
        Message = message;
    }

    /// <summary>The API field (<c>port</c>).</summary>
    public string Field { get; }

    /// <summary>The cmdlet parameter that carries the field (<c>Port</c>).</summary>
    public string Parameter => EnvironmentFields.ParameterName(Field);

    /// <summary>The stable error id: <c>InvalidEnvironment</c> followed by the parameter name.</summary>
    public string ErrorId => "InvalidEnvironment" + Parameter;

    public object? Value { get; }

    public string Message { get; }

    public override string ToString() => Message;
}
