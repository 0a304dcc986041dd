using System.Management.Automation;

using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Images;

/// <summary>Get-RenkuImage and Get-RenkuImageTag in a real pipeline against real registries.</summary>
public sealed class GetRenkuImageTests : IDisposable
{
    private const string User = "bob";
    private const string Password = "Very-s3cret-pw";

    private readonly Lazy<RegistryServer> plain = new(() =>
    {
        RegistryServer server = RegistryServer.Start();
        using var pusher = new RegistryPusher(server.BaseUri);
        TestImage image = SampleImages.Layered();
        pusher.Push("team/app", "1.2.0", image);
        pusher.PushManifest("team/app", "1.10.0", image.Manifest);
        pusher.PushManifest("team/app", "latest", image.Manifest);
        pusher.PushManifest("team/app", "0a1b2c3d", image.Manifest);
        TestImage amd64 = SampleImages.Small("linux/amd64");
        TestImage arm64 = SampleImages.Small("linux/arm64/v8", version: "3.21.0");
        pusher.PushIndex("team/multi", "1.0", new[] { amd64, arm64 }, TestImage.Index(new[] { amd64, arm64 }, attestationFor: amd64));
        return server;
    });

    private readonly Lazy<RegistryServer> secured = new(() =>
    {
        RegistryServer server = RegistryServer.WithBasicAuth(User, Password);
        using var pusher = new RegistryPusher(server.BaseUri, User, Password);
        pusher.Push("private/app", "2.0.0", SampleImages.Layered(user: "jovyan"));
        return server;
    });

    private readonly string temp = Path.Combine(Path.GetTempPath(), "renku-ps-getimage-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (plain.IsValueCreated)
        {
            plain.Value.Dispose();
        }

        if (secured.IsValueCreated)
        {
            secured.Value.Dispose();
        }

        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [SkippableFact]
    public void EnvironmentObjectsPipeInAndTheUserIsResolved()
    {
        var result = ModuleHost.Run(
            "[pscustomobject]@{ name = 'Python'; container_image = $image } | Get-RenkuImage -IncludeFiles",
            new Dictionary<string, object?> { ["image"] = plain.Value.Host + "/team/app:1.2.0" }).ShouldSucceed();
        PSObject info = Assert.Single(result.Output);
        Assert.Equal("Renku.PowerShell.ImageInfo", info.TypeNames[0]);
        dynamic user = info.Properties["User"].Value;
        Assert.Equal("jovyan", (string)user.UserName);
        Assert.Equal(100, (int)user.Gid);
        Assert.Equal("debian", info.Properties["OsId"].Value);
        Assert.Equal("Public", info.Properties["PublicAccess"].Value.ToString());
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [SkippableFact]
    public void ReferencesAndImagePropertiesPipeIn()
    {
        var result = ModuleHost.Run(
            "ConvertTo-RenkuImageReference $image | Get-RenkuImage; [pscustomobject]@{ Image = $multi } | Get-RenkuImage -Platform linux/arm64",
            new Dictionary<string, object?> { ["image"] = plain.Value.Host + "/team/app:1.2.0", ["multi"] = plain.Value.Host + "/team/multi:1.0" }).ShouldSucceed();
        Assert.Equal(2, result.Output.Count);
        Assert.Equal("linux/arm64/v8", result.Output[1].Properties["Platform"].Value.ToString());
        Assert.Equal(2, ((System.Collections.ICollection)result.Output[1].Properties["Platforms"].Value).Count);
    }

    [SkippableFact]
    public void EachFailedImageIsOneErrorWithAStableId()
    {
        var result = ModuleHost.Run(
            "$missing, 'Bad/Upper', $good | Get-RenkuImage",
            new Dictionary<string, object?> { ["missing"] = plain.Value.Host + "/team/app:9.9.9", ["good"] = plain.Value.Host + "/team/app:latest" });
        Assert.Null(result.Terminating);
        Assert.Single(result.Output);
        Assert.Equal(
            new[] { "ImageNotFound,Renku.PowerShell.Commands.Images.GetRenkuImageCommand", "InvalidImageReference,Renku.PowerShell.Commands.Images.GetRenkuImageCommand" },
            result.ErrorIds);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
    }

    [SkippableFact]
    public void AMalformedPlatformStopsBeforeAnythingIsSent()
    {
        var result = ModuleHost.Run("Get-RenkuImage 127.0.0.1:1/team/app:1 -Platform 'linux'");
        Assert.Equal(new[] { "InvalidPlatform,Renku.PowerShell.Commands.Images.GetRenkuImageCommand" }, result.ErrorIds);
        Assert.Empty(result.Output);

        var missing = ModuleHost.Run("Get-RenkuImage $image -Platform linux/s390x", new Dictionary<string, object?> { ["image"] = plain.Value.Host + "/team/multi:1.0" });
        Assert.Equal(new[] { "PlatformNotFound,Renku.PowerShell.Commands.Images.GetRenkuImageCommand" }, missing.ErrorIds);
    }

    [SkippableFact]
    public void PrivateImagesNeedACredentialAndThePasswordNeverShows()
    {
        string image = secured.Value.Host + "/private/app:2.0.0";
        var denied = ModuleHost.Run("Get-RenkuImage $image", new Dictionary<string, object?> { ["image"] = image });
        Assert.Equal(new[] { "RegistryUnauthorized,Renku.PowerShell.Commands.Images.GetRenkuImageCommand" }, denied.ErrorIds);
        Assert.Equal(ErrorCategory.PermissionDenied, denied.Errors[0].CategoryInfo.Category);

        var result = ModuleHost.Run(
            "$cred = [pscredential]::new($user, [System.Net.NetworkCredential]::new('', $password).SecurePassword); Get-RenkuImage $image -Credential $cred -IncludeFiles -Verbose -Debug",
            new Dictionary<string, object?> { ["image"] = image, ["user"] = User, ["password"] = Password }).ShouldSucceed();
        PSObject info = Assert.Single(result.Output);
        Assert.Equal("Private", info.Properties["PublicAccess"].Value.ToString());
        Assert.NotEmpty(result.Verbose);
        Assert.DoesNotContain(Password, result.AllText(), StringComparison.Ordinal);

        var wrong = ModuleHost.Run(
            "$cred = [pscredential]::new($user, [System.Net.NetworkCredential]::new('', 'Wrong-pw-123').SecurePassword); Get-RenkuImage $image -Credential $cred -Verbose",
            new Dictionary<string, object?> { ["image"] = image, ["user"] = User });
        Assert.Equal(new[] { "RegistryUnauthorized,Renku.PowerShell.Commands.Images.GetRenkuImageCommand" }, wrong.ErrorIds);
        Assert.DoesNotContain("Wrong-pw-123", wrong.AllText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void AnUnreachableRegistryIsAnError()
    {
        int port = Renku.PowerShell.TestSupport.FreePort.Next();
        var result = ModuleHost.Run($"Get-RenkuImage 127.0.0.1:{port}/team/app:1");
        Assert.Equal(new[] { "RegistryUnreachable,Renku.PowerShell.Commands.Images.GetRenkuImageCommand" }, result.ErrorIds);
    }

    [SkippableFact]
    public void TagsAreListedNewestVersionFirst()
    {
        var result = ModuleHost.Run(
            "Get-RenkuImageTag $repo; '---'; [pscustomobject]@{ container_image = $image } | Get-RenkuImageTag -SemverOnly",
            new Dictionary<string, object?> { ["repo"] = plain.Value.Host + "/team/app", ["image"] = plain.Value.Host + "/team/app:1.2.0" }).ShouldSucceed();
        string[] names = result.Output.Select(o => o.BaseObject is string s ? s : (string)o.Properties["Name"].Value).ToArray();
        // Versions newest first; the other tags follow in the registry's order.
        Assert.Equal(new[] { "1.10.0", "1.2.0" }, names.Take(2));
        Assert.Equal(new[] { "0a1b2c3d", "latest" }, names.Skip(2).Take(2).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "---", "1.10.0", "1.2.0" }, names.Skip(4));
        Assert.Equal("Renku.PowerShell.ImageTag", result.Output[0].TypeNames[0]);
        Assert.Equal("CommitSha", result.Output.Single(o => o.Properties["Name"]?.Value as string == "0a1b2c3d").Properties["Kind"].Value.ToString());

        var missing = ModuleHost.Run("Get-RenkuImageTag $repo", new Dictionary<string, object?> { ["repo"] = plain.Value.Host + "/team/none" });
        Assert.Equal(new[] { "ImageNotFound,Renku.PowerShell.Commands.Images.GetRenkuImageTagCommand" }, missing.ErrorIds);
    }

    [SkippableFact]
    public void ArchivesAreReadFromAPath()
    {
        string layout = Path.Combine(temp, "layout");
        SampleImages.Layered().WriteLayout(layout, "example.org/team/app:3.0");
        var result = ModuleHost.Run(
            "Get-RenkuImage -Path $layout -IncludeFiles; Get-RenkuImage -LiteralPath $nothing",
            new Dictionary<string, object?> { ["layout"] = layout, ["nothing"] = Path.Combine(temp, "missing.tar") });
        PSObject info = Assert.Single(result.Output);
        Assert.Equal("Archive", info.Properties["Source"].Value.ToString());
        Assert.Equal("example.org/team/app:3.0", info.Properties["Reference"].Value.ToString());
        Assert.Equal("debian", info.Properties["OsId"].Value);
        Assert.Equal(new[] { "ImageArchiveNotFound,Renku.PowerShell.Commands.Images.GetRenkuImageCommand" }, result.ErrorIds);
    }
}
