namespace Renku.PowerShell.Http;

/// <summary>Reads response bodies within a bound: whole ones that must stay small (a manifest, a token, a JSON answer), or the head of a long one (a log).</summary>
internal static class BoundedBody
{
    /// <param name="tooLarge">Makes the exception for a body longer than <paramref name="maxBytes"/>.</param>
    /// <param name="counted">Sees the size of every read, before the bound is checked (download accounting).</param>
    public static async Task<byte[]> ReadAsync(Stream stream, long maxBytes, Func<Exception> tooLarge, Action<int>? counted, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            counted?.Invoke(read);
            if (buffer.Length + read > maxBytes)
            {
                throw tooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> of a body whose tail may be dropped (a log), then stops.</summary>
    public static async Task<byte[]> ReadAtMostAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[maxBytes];
        int total = 0;
        int read;
        while (total < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(total, maxBytes - total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return buffer[..total];
    }
}
