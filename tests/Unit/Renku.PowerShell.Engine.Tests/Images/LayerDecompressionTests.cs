using System.Formats.Tar;

using Renku.PowerShell.Images.Layers;
using Renku.PowerShell.TestSupport.Images;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Images;

public class LayerDecompressionTests
{
    public static IEnumerable<object[]> Encodings() => new[]
    {
        new object[] { "gzip", "Gzip" },
        new object[] { "zstd", "Zstd" },
        new object[] { "zstd-raw-blocks", "Zstd" },
        new object[] { "tar", "Tar" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task TheFirstBytesDecideTheDecompressor(string encoding, string expected)
    {
        byte[] big = new byte[300_000];
        new Random(3).NextBytes(big);
        byte[] tar = new LayerBuilder().File("/etc/os-release", "ID=test\n").File("/big.bin", big).Symlink("/link", "etc/os-release").Tar();
        byte[] blob = encoding switch
        {
            "gzip" => LayerBuilder.Gzip(tar),
            "zstd" => new ZstdSharp.Compressor(5).Wrap(tar).ToArray(),
            "zstd-raw-blocks" => LayerBuilder.Zstd(tar),
            _ => tar,
        };

        (Stream stream, LayerDecompression.Kind kind) = await LayerDecompression.OpenAsync(new MemoryStream(blob), CancellationToken.None);
        Assert.Equal(expected, kind.ToString());
        using var reader = new TarReader(stream);
        var names = new List<string>();
        while (await reader.GetNextEntryAsync() is TarEntry entry)
        {
            names.Add(entry.Name);
            if (entry.Name == "big.bin")
            {
                using var copy = new MemoryStream();
                await entry.DataStream!.CopyToAsync(copy);
                Assert.Equal(big, copy.ToArray());
            }
        }

        Assert.Equal(new[] { "etc/os-release", "big.bin", "link" }, names);
    }
}
