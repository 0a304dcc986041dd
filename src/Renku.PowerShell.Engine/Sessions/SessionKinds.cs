namespace Renku.PowerShell.Sessions;

/// <summary>Which kind of session an environment's launchers start, and so how a check runs its image.</summary>
public static class SessionKinds
{
    /// <summary>
    /// True for a launcher type that runs a command to completion: <c>non-interactive</c> (data
    /// service 0.78 and later) or <c>non_interactive</c> (0.75 to 0.77), in any case.
    /// </summary>
    public static bool IsNonInteractive(string? launcherType) =>
        launcherType is not null
        && (string.Equals(launcherType, "non-interactive", StringComparison.OrdinalIgnoreCase)
            || string.Equals(launcherType, "non_interactive", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The kind a check runs: the one asked for, else <see cref="SessionKind.Job"/> when any
    /// launcher of the environment is non-interactive, else <see cref="SessionKind.Interactive"/>.
    /// </summary>
    /// <param name="asked">The kind the caller asked for, or null to decide from the launchers.</param>
    /// <param name="launcherTypes">The types of the environment's launchers, or null when they were not read.</param>
    public static SessionKind Decide(SessionKind? asked, IEnumerable<string?>? launcherTypes) =>
        asked ?? (launcherTypes is not null && launcherTypes.Any(IsNonInteractive) ? SessionKind.Job : SessionKind.Interactive);

    /// <summary>A fresh submission id, as Renku gives each run of a job (a ULID: 26 characters of Crockford's base 32).</summary>
    public static string NewSubmissionId()
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        Span<char> id = stackalloc char[26];
        long time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 9; i >= 0; i--)
        {
            id[i] = alphabet[(int)(time & 31)];
            time >>= 5;
        }

        for (int i = 10; i < id.Length; i++)
        {
            id[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(id);
    }
}
