using Renku.PowerShell.Files;

namespace Renku.PowerShell.Registry;

/// <summary>A response body that disposes its response (and so frees the connection) with it.</summary>
internal sealed class ResponseStream : ReadOnlyStream
{
    private readonly HttpResponseMessage response;
    private readonly Stream inner;

    internal ResponseStream(HttpResponseMessage response, Stream inner)
    {
        this.response = response;
        this.inner = inner;
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
