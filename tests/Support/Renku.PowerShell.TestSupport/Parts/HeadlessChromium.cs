namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// Debian's chromium, headless, to look at a page as people do: the DOM after its script ran,
/// and a screenshot. Each run gets a fresh profile folder (deleted afterwards) and every feature
/// that would reach the network on its own is off, so a page that loads nothing stays offline.
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>The chromium executable; skips (fails under CI=true) when it is not installed.</summary>
    public static string Require() => Requires.Executable("chromium", "chromium");

    /// <summary>The page's DOM, serialised after load (its script has run).</summary>
    public static string DumpDom(string url) => Run(url, "--dump-dom").StdOut;

    /// <summary>Saves a PNG of the page at the given window size.</summary>
    public static void Screenshot(string url, string file, int width = 1400, int height = 900)
    {
        Run(url, "--screenshot=" + file, $"--window-size={width},{height}", "--hide-scrollbars");
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"chromium wrote no screenshot to {file}.");
        }
    }

    private static ProcessRunner.Result Run(string url, params string[] what)
    {
        string chromium = Require();
        string profile = Directory.CreateTempSubdirectory("renku-chromium-").FullName;
        try
        {
            var arguments = new List<string>
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile,
            };
            arguments.AddRange(what);
            arguments.Add(url);
            return ProcessRunner.Run(chromium, arguments, Limit).EnsureSuccess("chromium " + string.Join(' ', what));
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
