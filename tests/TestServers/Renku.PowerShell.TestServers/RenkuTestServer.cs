using System.Text;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Renku.PowerShell.TestServers;

/// <summary>
/// One fake Renku deployment on 127.0.0.1: the data API under <c>/api/data</c>, the Keycloak realm
/// under <c>/auth/realms/Renku</c>, and control endpoints under <c>/_test</c> for scripts.
/// </summary>
public sealed class RenkuTestServer : IAsyncDisposable, IDisposable
{
    private readonly WebApplication app;

    private RenkuTestServer(WebApplication app, FakeKeycloak keycloak, FakeDataService data, ContractChecker contract, Uri uri)
    {
        this.app = app;
        Keycloak = keycloak;
        Data = data;
        Contract = contract;
        Uri = uri;
    }

    /// <summary>The deployment root (<c>http://127.0.0.1:PORT/</c>), what Connect-RenkuInstance -Uri takes.</summary>
    public Uri Uri { get; }

    public Uri ApiUri => new(Uri, "api/data/");

    public FakeKeycloak Keycloak { get; }

    public FakeDataService Data { get; }

    /// <summary>Every exchange under /api/data, checked against the OpenAPI specs.</summary>
    public ContractChecker Contract { get; }

    /// <summary>Starts a server on 127.0.0.1 (port 0 picks a free one).</summary>
    public static RenkuTestServer Start(int port = 0, string? specDirectory = null, int deviceInterval = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(RenkuTestServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        WebApplication app = builder.Build();

        var contract = ContractChecker.Shared(specDirectory);
        var keycloak = new FakeKeycloak { DeviceInterval = deviceInterval };
        var data = new FakeDataService(keycloak, contract);

        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(FakeDataService.BasePath, out PathString rest))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Request.EnableBuffering();
            string requestBody;
            using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true))
            {
                requestBody = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            context.Request.Body.Position = 0;
            Stream original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                context.Response.Body = original;
            }

            string responseBody = Encoding.UTF8.GetString(buffer.ToArray());
            try
            {
                contract.Check(context.Request.Method, rest.Value ?? "/", requestBody, context.Response.StatusCode, responseBody);
            }
            catch (Exception ex)
            {
                contract.Broken($"{context.Request.Method} {rest.Value}: the check itself failed: {ex}");
            }

            data.Record(context.Request.Method, rest.Value ?? "/", context.Response.StatusCode);
            buffer.Position = 0;
            await buffer.CopyToAsync(original).ConfigureAwait(false);
        });

        keycloak.Map(app);
        data.Map(app);
        MapControl(app, keycloak, data, contract);

        app.StartAsync().GetAwaiter().GetResult();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.TrimEnd('/') + "/");
        keycloak.BaseUri = uri;
        return new RenkuTestServer(app, keycloak, data, contract, uri);
    }

    /// <summary>Waits (bounded) for a device authorization to be requested and returns its user code.</summary>
    public string WaitForPendingUserCode(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var pending = Keycloak.PendingUserCodes;
            if (pending.Count > 0)
            {
                return pending[0];
            }

            Thread.Sleep(25);
        }

        throw new TimeoutException($"No device authorization was requested within {timeout}.");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync().ConfigureAwait(false);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void MapControl(WebApplication app, FakeKeycloak keycloak, FakeDataService data, ContractChecker contract)
    {
        // For scripts (Pester) that run the server as a process; never part of the data API.
        app.MapPost("/_test/token", (string user, int? lifetime) =>
            Results.Json(new JsonObject { ["access_token"] = keycloak.IssueAccessToken(user, lifetime is null ? null : TimeSpan.FromSeconds(lifetime.Value)) }));
        app.MapPost("/_test/device/approve", (string user) =>
        {
            foreach (string code in keycloak.PendingUserCodes)
            {
                keycloak.Approve(code, user);
            }

            return Results.NoContent();
        });
        app.MapPost("/_test/environments", (string name, string image, int? port) => Results.Json(new JsonObject { ["id"] = data.AddEnvironment(name, image, port ?? 8080) }));
        app.MapPost("/_test/launchers", (string name, string environment_id, string? launcher_type, int? resource_class_id, bool? no_resource_class) =>
        {
            string id = data.AddLauncher(name, environment_id, launcherType: launcher_type ?? "interactive");
            if (resource_class_id is not null || no_resource_class == true)
            {
                data.SetLauncherResourceClass(id, resource_class_id);
            }

            return Results.Json(new JsonObject { ["id"] = id });
        });
        app.MapPost("/_test/resource_pools", (string name, string platform, bool? is_default, bool? is_public, double? cpu_limit_factor, string? classes) =>
        {
            (int poolId, int[] classIds) = data.AddResourcePool(name, platform, is_default ?? false, is_public ?? true, cpu_limit_factor, (classes ?? "small").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return Results.Json(new JsonObject { ["id"] = poolId, ["class_ids"] = new JsonArray(classIds.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()) });
        });
        app.MapPost("/_test/image_checks", (string image, bool accessible, string? platforms) =>
        {
            data.SetImageCheck(image, accessible, null, (platforms ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return Results.NoContent();
        });
        app.MapPost("/_test/build_launchers", (string name, string repository, string? image, string? launcher_type, string? frontend_variant) => Results.Json(new JsonObject { ["id"] = data.AddBuildLauncher(name, repository, image, launcherType: launcher_type ?? "interactive", frontendVariant: frontend_variant ?? "jupyterlab") }));
        app.MapGet("/_test/state", () => Results.Json(new JsonObject
        {
            ["writes"] = data.Writes,
            ["requests"] = data.Requests.Count,
            ["responses_checked"] = contract.ResponsesChecked,
            ["violations"] = new JsonArray(contract.Violations.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        }));
    }
}
