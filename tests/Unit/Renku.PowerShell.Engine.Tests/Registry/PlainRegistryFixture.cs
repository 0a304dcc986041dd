using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>One plain docker-registry per test class, with the sample images pushed once.</summary>
public sealed class PlainRegistryFixture : IDisposable
{
    private readonly Lazy<RegistryServer> server;

    public PlainRegistryFixture()
    {
        server = new Lazy<RegistryServer>(() =>
        {
            RegistryServer started = RegistryServer.Start();
            using var pusher = new RegistryPusher(started.BaseUri);
            Layered = SampleImages.Layered(middlePadding: 2 * 1024 * 1024, basePadding: 2 * 1024 * 1024);
            pusher.Push("team/layered", "1.0", Layered);
            Schema2 = SampleImages.Layered(user: "jovyan:users", dockerSchema2: true);
            pusher.Push("team/schema2", "1.0", Schema2);
            Amd64 = SampleImages.Small("linux/amd64", version: "3.20.1");
            Arm64 = SampleImages.Small("linux/arm64/v8", version: "3.20.2", user: "nobody");
            Index = TestImage.Index(new[] { Amd64, Arm64 }, attestationFor: Amd64);
            pusher.PushIndex("team/multi", "2.0", new[] { Amd64, Arm64 }, Index);
            return started;
        });
    }

    /// <summary>The registry (skips the test when docker-registry is missing, fails it in CI).</summary>
    public RegistryServer Server => server.Value;

    public TestImage Layered { get; private set; } = null!;

    public TestImage Schema2 { get; private set; } = null!;

    public TestImage Amd64 { get; private set; } = null!;

    public TestImage Arm64 { get; private set; } = null!;

    public (OciBlob Index, IReadOnlyList<OciBlob> ExtraManifests, IReadOnlyList<OciBlob> ExtraBlobs) Index { get; private set; }

    public void Dispose()
    {
        if (server.IsValueCreated)
        {
            server.Value.Dispose();
        }
    }
}
