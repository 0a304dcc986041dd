using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>Turns the session-settings parameters into the engine's <see cref="SessionSettingsPatch"/>.</summary>
internal static class SessionSettingsParameterValues
{
    /// <summary>
    /// The settings given as parameters: those PowerShell bound (named in <paramref name="bound"/>),
    /// with their current values. The current values, not those in BoundParameters: PowerShell
    /// leaves a value bound from an earlier piped object there after it resets the parameter for
    /// the next one.
    /// </summary>
    internal static SessionSettingsPatch Patch(this ISessionSettingsParameters parameters, IDictionary<string, object> bound)
    {
        bool Given(string name) => bound.ContainsKey(name);
        return new SessionSettingsPatch
        {
            Port = Given(nameof(parameters.Port)) ? parameters.Port : null,
            Uid = Given(nameof(parameters.Uid)) ? parameters.Uid : null,
            Gid = Given(nameof(parameters.Gid)) ? parameters.Gid : null,
            DefaultUrl = Given(nameof(parameters.DefaultUrl)) ? parameters.DefaultUrl : null,
            WorkingDirectory = Optional.If(Given(nameof(parameters.WorkingDirectory)), parameters.WorkingDirectory),
            MountDirectory = Optional.If(Given(nameof(parameters.MountDirectory)), parameters.MountDirectory),
            Command = Optional.If<IReadOnlyList<string>?>(Given(nameof(parameters.Command)), parameters.Command),
            Args = Optional.If<IReadOnlyList<string>?>(Given(nameof(parameters.Arguments)), parameters.Arguments),
            StripPathPrefix = Given(nameof(parameters.StripPathPrefix)) ? parameters.StripPathPrefix.IsPresent : null,
        };
    }
}
