namespace Renku.PowerShell.Registry;

/// <summary>Counts the bytes one inspection fetches and enforces its layer byte budget; thread-safe.</summary>
internal sealed class DownloadCounter
{
    private readonly long layerBudget;
    private long total;
    private long layerBytes;

    internal DownloadCounter(long layerBudget)
    {
        this.layerBudget = layerBudget;
    }

    internal long Total => Interlocked.Read(ref total);

    internal long LayerBytes => Interlocked.Read(ref layerBytes);

    internal void Add(long bytes) => Interlocked.Add(ref total, bytes);

    internal void AddLayer(long bytes)
    {
        Interlocked.Add(ref total, bytes);
        if (Interlocked.Add(ref layerBytes, bytes) > layerBudget)
        {
            throw new RegistryException(RegistryErrorKind.TooLarge, $"Reading the image's layers went over the byte budget of {layerBudget} bytes; raise the budget or read fewer files.");
        }
    }
}
