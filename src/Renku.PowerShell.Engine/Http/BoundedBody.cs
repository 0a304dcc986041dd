namespace Renku.PowerShell.Http;

/// <summary>Reads a whole response body that must stay small (a manifest, a token, a JSON answer).</summary>
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
}
