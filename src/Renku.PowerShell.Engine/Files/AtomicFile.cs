namespace Renku.PowerShell.Files;

/// <summary>
/// Replaces a file's whole content so that readers see the old file or the new one, never a half
/// written one: the bytes go to a temporary file beside it (flushed to disk), which is then renamed
/// over it. A failure at any step removes the temporary file and leaves the original as it was.
/// A symbolic link is written through: its target is replaced and the link stays.
/// </summary>
public static class AtomicFile
{
    /// <param name="beforeReplace">Runs after the new content is on disk and just before the rename (a last check that the original is still what the caller read); throwing stops the replacement.</param>
    public static void Replace(string path, ReadOnlySpan<byte> content, Action? beforeReplace = null)
    {
        string target = Resolve(path);
        string directory = Path.GetDirectoryName(target) ?? ".";
        string temporary = Path.Combine(directory, "." + Path.GetFileName(target) + ".renku-" + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        bool moved = false;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows() && File.Exists(target))
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }

            beforeReplace?.Invoke();
            File.Move(temporary, target, overwrite: true);
            moved = true;
        }
        finally
        {
            if (!moved)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary>Writes a new file or replaces an existing one, atomically, as UTF-8 text.</summary>
    public static void WriteAllText(string path, string text, System.Text.Encoding encoding)
    {
        byte[] preamble = encoding.GetPreamble();
        byte[] body = encoding.GetBytes(text);
        Replace(path, preamble.Length == 0 ? body : preamble.Concat(body).ToArray());
    }

    /// <summary>The file a path finally names (through any symbolic links), or the path itself.</summary>
    private static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        FileSystemInfo? final = File.Exists(full) || Directory.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) : null;
        return final?.FullName ?? full;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The original error is what the caller must see; a temporary file that cannot be removed is named in no message.
        }
    }
}
