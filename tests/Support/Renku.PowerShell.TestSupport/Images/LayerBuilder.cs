using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Renku.PowerShell.TestSupport.Images;

/// <summary>
/// Writes one image layer as a tar: files, directories, symlinks, hard links, whiteouts
/// (<c>.wh.name</c>) and opaque-directory markers (<c>.wh..wh..opq</c>), in the order added.
/// </summary>
public sealed class LayerBuilder
{
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<Action<TarWriter>> entries = new();

    public LayerBuilder Directory(string path)
    {
        entries.Add(w => w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, Name(path) + "/") { Mode = (UnixFileMode)0b111_101_101, ModificationTime = Epoch }));
        return this;
    }

    public LayerBuilder File(string path, string content) => File(path, Encoding.UTF8.GetBytes(content));

    public LayerBuilder File(string path, byte[] content)
    {
        entries.Add(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, Name(path)) { Mode = (UnixFileMode)0b110_100_100, ModificationTime = Epoch, DataStream = new MemoryStream(content) }));
        return this;
    }

    public LayerBuilder Symlink(string path, string target)
    {
        entries.Add(w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, Name(path)) { LinkName = target, Mode = (UnixFileMode)0b111_111_111, ModificationTime = Epoch }));
        return this;
    }

    public LayerBuilder HardLink(string path, string target)
    {
        entries.Add(w => w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, Name(path)) { LinkName = Name(target), ModificationTime = Epoch }));
        return this;
    }

    /// <summary>Deletes <paramref name="path"/> from the layers below.</summary>
    public LayerBuilder Whiteout(string path)
    {
        string name = Name(path);
        int slash = name.LastIndexOf('/');
        string marker = slash < 0 ? ".wh." + name : name.Substring(0, slash + 1) + ".wh." + name.Substring(slash + 1);
        return File("/" + marker, Array.Empty<byte>());
    }

    /// <summary>Hides everything the layers below hold in <paramref name="directory"/>.</summary>
    public LayerBuilder Opaque(string directory) => File(directory.TrimEnd('/') + "/.wh..wh..opq", Array.Empty<byte>());

    /// <summary>The uncompressed tar.</summary>
    public byte[] Tar()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var write in entries)
            {
                write(writer);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The layer blob, compressed as asked, with the matching OCI (or Docker) media type.</summary>
    public (OciBlob Blob, string DiffId) Build(LayerCompression compression, bool dockerMediaTypes = false)
    {
        byte[] tar = Tar();
        string diffId = new OciBlob("tar", tar).Digest;
        return compression switch
        {
            LayerCompression.Gzip => (new OciBlob(dockerMediaTypes ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip", Gzip(tar)), diffId),
            LayerCompression.Zstd => (new OciBlob("application/vnd.oci.image.layer.v1.tar+zstd", Zstd(tar)), diffId),
            _ => (new OciBlob(dockerMediaTypes ? "application/vnd.docker.image.rootfs.diff.tar" : "application/vnd.oci.image.layer.v1.tar", tar), diffId),
        };
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(data).ToArray();
    }

    private static string Name(string path) => path.TrimStart('/');
}
