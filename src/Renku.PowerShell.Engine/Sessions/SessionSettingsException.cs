namespace Renku.PowerShell.Sessions;

/// <summary>Settings Renku would not run a session with (a bad image, port, uid/gid or directory); nothing was started.</summary>
public sealed class SessionSettingsException : ArgumentException
{
    public SessionSettingsException(string message)
        : base(message)
    {
    }
}
