namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// Busybox session images for compliance tests, built once per test process in the test Docker
/// engine: a compliant one (httpd on $RENKU_SESSION_PORT serving Renku's base path) and one per
/// way a session image goes wrong.
/// </summary>
public static class SessionTestImages
{
    /// <summary>The base path the session check serves sessions under (mirrors the engine's default).</summary>
    public const string BasePath = "/sessions/renku-check";

    private static readonly object Gate = new();
    private static readonly Dictionary<string, string> Built = new(StringComparer.Ordinal);
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Debian, user renku 1000:1000 with a writable home, httpd on $RENKU_SESSION_PORT answering 200 at the base path.</summary>
    public static string Compliant => Build("compliant", new Recipe());

    /// <summary>Listens on $RENKU_SESSION_PORT + 1, so the readiness probe never succeeds.</summary>
    public static string WrongPort => Build("wrongport", WrongPortRecipe);

    /// <summary>The recipe of <see cref="WrongPort"/>, for <see cref="BuildInto"/>.</summary>
    public static Recipe WrongPortRecipe => new() { Command = "exec httpd -f -p $((RENKU_SESSION_PORT + 1)) -h /srv/www" };

    /// <summary>Runs <c>sleep</c>: serves nothing at all, so it must never pass a session check.</summary>
    public static string Sleeps => Build("sleeps", SleepsRecipe);

    /// <summary>The recipe of <see cref="Sleeps"/>, for <see cref="BuildInto"/>.</summary>
    public static Recipe SleepsRecipe => new() { Command = "exec sleep 600" };

    /// <summary>
    /// A job that exits 0 only when it runs as Renku runs a job: RENKU_JOB=1 with a submission id,
    /// none of a session's variables, uid:gid 1000:1000 in the working directory, a writable mount
    /// directory; otherwise it says what was wrong and exits 10 or more.
    /// </summary>
    public static Recipe JobSucceedsRecipe => new() { Command = JobEnvironmentCheck };

    /// <summary>A job that prints a few lines (one with a credential) and exits 3.</summary>
    public static Recipe JobFailsRecipe => new() { Command = "echo 'step 2 of 3'; echo 'using RENKU_TOKEN=abc123verysecret'; echo 'fatal: no such file: /data/input.csv' >&2; exit 3" };

    /// <summary>The shell command of <see cref="JobSucceedsRecipe"/>.</summary>
    public const string JobEnvironmentCheck =
        "test \"$RENKU_JOB\" = 1 || { echo \"RENKU_JOB=$RENKU_JOB\"; exit 11; }; " +
        "test -n \"$RENKU_SUBMISSION_ID\" || { echo 'no RENKU_SUBMISSION_ID'; exit 12; }; " +
        "test -z \"${RENKU_SESSION+x}${RENKU_SESSION_IP+x}${RENKU_SESSION_PORT+x}${RENKU_BASE_URL+x}${RENKU_BASE_URL_PATH+x}\" || { echo 'session variables set'; exit 13; }; " +
        "test \"$RENKU_SECRETS_PATH\" = /secrets -a -n \"$RENKU_PROJECT_PATH\" || { echo 'no secrets or project path'; exit 14; }; " +
        "test \"$(id -u):$(id -g)\" = 1000:1000 || { echo \"ran as $(id -u):$(id -g)\"; exit 15; }; " +
        "test \"$(pwd)\" = \"$RENKU_WORKING_DIR\" || { echo \"ran in $(pwd)\"; exit 16; }; " +
        "echo done > \"$RENKU_MOUNT_DIR/result\" || exit 17; " +
        "echo \"job $RENKU_SUBMISSION_ID done\"";

    /// <summary>
    /// As <see cref="WrongPort"/>, for the stop tests alone: they look for leftovers by image, and
    /// other tests of the same process start WrongPort sessions at the same time.
    /// </summary>
    public static string WrongPortForStopTests => Build("stop-wrongport", new Recipe { Command = "exec httpd -f -p $((RENKU_SESSION_PORT + 1)) -h /srv/www" });

    /// <summary>Prints a line and exits with code 3.</summary>
    public static string Crashes => Build("crashes", new Recipe { Command = "echo 'fatal: no config found'; exit 3" });

    /// <summary>Serves only /, so the default URL under the base path answers 404.</summary>
    public static string NotFoundAtDefaultUrl => Build("notfound", new Recipe { ServeBasePath = false });

    /// <summary>No USER: runs as root.</summary>
    public static string RunsAsRoot => Build("root", new Recipe { User = null });

    /// <summary>Alpine in os-release.</summary>
    public static string Alpine => Build("alpine", new Recipe { OsId = "alpine", OsVersion = "3.20" });

    /// <summary>USER alice with uid/gid 1001.</summary>
    public static string Uid1001 => Build("uid1001", new Recipe { User = "alice", ExtraPasswd = new[] { "alice:x:1001:1001:alice:/home/alice:/bin/sh" }, ExtraGroup = new[] { "alice:x:1001:" } });

    /// <summary>USER jovyan, uid 1000 gid 100 (the Jupyter stacks' user).</summary>
    public static string Jovyan => Build("jovyan", new Recipe { User = "jovyan", RenkuUser = false, ExtraPasswd = new[] { "jovyan:x:1000:100:jovyan:/home/jovyan:/bin/sh" }, ExtraGroup = new[] { "users:x:100:" } });

    /// <summary>Home directory owned by root, so the session user cannot write HOME.</summary>
    public static string ReadOnlyHome => Build("rohome", new Recipe { OwnHome = false });

    /// <summary>Builds (once) an image from a recipe and returns its tag.</summary>
    public static string Build(string name, Recipe recipe)
    {
        lock (Gate)
        {
            string tag = $"renku-ps-test/session-{name}:{RunId}";
            if (Built.ContainsKey(tag))
            {
                return tag;
            }

            BuildInto(DockerDaemon.Require(), tag, recipe);
            Built[tag] = tag;
            return tag;
        }
    }

    /// <summary>Builds an image from a recipe as <paramref name="tag"/> in the engine at <paramref name="dockerHost"/>.</summary>
    public static void BuildInto(string dockerHost, string tag, Recipe recipe)
    {
        string rootfs = Path.Combine(Path.GetTempPath(), "renku-ps-session-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            BusyboxImage.CreateRootfs(rootfs, recipe.OsId, recipe.OsVersion, recipe.ExtraPasswd, recipe.ExtraGroup, recipe.RenkuUser);
            string www = Path.Combine(rootfs, "srv", "www");
            Directory.CreateDirectory(www);
            File.WriteAllText(Path.Combine(www, "index.html"), "root\n");
            if (recipe.ServeBasePath)
            {
                string session = Path.Combine(www, BasePath.TrimStart('/'));
                Directory.CreateDirectory(session);
                File.WriteAllText(Path.Combine(session, "index.html"), "session\n");
            }

            string home = Path.Combine(rootfs, "home", "renku");
            if (recipe.RenkuUser && recipe.OwnHome && Directory.Exists(home))
            {
                ProcessRunner.Run("chown", new[] { "1000:1000", home }, TimeSpan.FromSeconds(30)).EnsureSuccess("chown");
            }

            var changes = new List<string>
            {
                "WORKDIR /home/renku",
                "CMD [\"/bin/sh\", \"-c\", \"" + recipe.Command.Replace("\"", "\\\"") + "\"]",
            };
            if (recipe.User is not null)
            {
                changes.Add("USER " + recipe.User);
            }

            BusyboxImage.ImportInto(dockerHost, rootfs, tag, changes.ToArray());
        }
        finally
        {
            Directory.Delete(rootfs, recursive: true);
        }
    }

    /// <summary>How to build one session test image.</summary>
    public sealed class Recipe
    {
        public string OsId { get; init; } = "debian";

        public string OsVersion { get; init; } = "12";

        public string? User { get; init; } = "1000";

        public bool RenkuUser { get; init; } = true;

        public bool OwnHome { get; init; } = true;

        public bool ServeBasePath { get; init; } = true;

        public string[]? ExtraPasswd { get; init; }

        public string[]? ExtraGroup { get; init; }

        /// <summary>The shell command the image runs (CMD via /bin/sh -c).</summary>
        public string Command { get; init; } = "exec httpd -f -p $RENKU_SESSION_PORT -h /srv/www";
    }
}
