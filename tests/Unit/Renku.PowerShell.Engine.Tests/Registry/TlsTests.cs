using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>
/// TLS is verified by default and skipped only on request. The registry serves HTTPS with a
/// self-signed certificate for a name that is not loopback-looking, so the client speaks HTTPS;
/// the client's own handler (its TLS settings untouched) has its connections pinned to the
/// registry on 127.0.0.1, so nothing leaves the machine.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private const string Host = "registry.renku-ps.test";
    private readonly string directory = Directory.CreateTempSubdirectory("renku-ps-tls-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [SkippableFact]
    public async Task AnUntrustedCertificateIsRefusedUnlessSkipCertificateCheck()
    {
        (string certificate, string key) = WriteSelfSignedCertificate();
        using RegistryServer registry = RegistryServer.WithTls(certificate, key);
        ImageReference repository = ImageReference.Parse($"{Host}:{registry.Port}/team/app");

        using (var verifying = new ImageInspector(PinnedToLoopback(registry.Port, skipCertificateCheck: false)))
        {
            var refused = await Assert.ThrowsAsync<RegistryException>(() => verifying.ListTagsAsync(repository));
            Assert.Equal(RegistryErrorKind.Unreachable, refused.Kind);
            Assert.Contains("TLS", refused.Message, StringComparison.Ordinal);
        }

        using (var trusting = new ImageInspector(PinnedToLoopback(registry.Port, skipCertificateCheck: true)))
        {
            // The handshake succeeds; the empty registry answers that the repository does not exist.
            var missing = await Assert.ThrowsAsync<RegistryException>(() => trusting.ListTagsAsync(repository));
            Assert.Equal(RegistryErrorKind.NotFound, missing.Kind);
        }
    }

    private static RegistryClientOptions PinnedToLoopback(int port, bool skipCertificateCheck)
    {
        var settings = new RegistryClientOptions { UseDockerConfig = false, SkipCertificateCheck = skipCertificateCheck, MaxAttempts = 1 };
        SocketsHttpHandler handler = RegistryClient.CreateHandler(settings);
        handler.ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        };
        return new RegistryClientOptions { UseDockerConfig = false, SkipCertificateCheck = skipCertificateCheck, MaxAttempts = 1, Handler = handler };
    }

    private (string Certificate, string Key) WriteSelfSignedCertificate()
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={Host}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string certificatePath = Path.Combine(directory, "registry.crt");
        string keyPath = Path.Combine(directory, "registry.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
