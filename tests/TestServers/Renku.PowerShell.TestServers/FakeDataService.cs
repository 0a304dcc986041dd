using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Renku.PowerShell.TestServers;

/// <summary>
/// The data API's environment, launcher, user, version and image-check endpoints with
/// renku-data-services' semantics: null fields left out, 401 (not 403) on PATCH for non-admins, 204 on deleting a
/// missing id, 500 deleting an environment a launcher uses, invalid tokens read as anonymous.
/// </summary>
public sealed class FakeDataService
{
    public const string BasePath = "/api/data";
    public const string Version = "0.79.0";

    private readonly object gate = new();
    private readonly List<JsonObject> environments = new();
    private readonly List<FakeLauncher> launchers = new();
    private readonly ConcurrentQueue<string> requests = new();
    private readonly ConcurrentQueue<(string Method, int Status, string Message)> failures = new();
    private readonly ConcurrentDictionary<string, JsonObject> imageChecks = new(StringComparer.Ordinal);
    private readonly List<JsonObject> pools = new();
    private readonly Dictionary<string, int?> launcherClasses = new(StringComparer.Ordinal);
    private int nextClassId;
    private readonly FakeKeycloak keycloak;
    private readonly ContractChecker contract;
    private int writes;

    internal FakeDataService(FakeKeycloak keycloak, ContractChecker contract)
    {
        this.keycloak = keycloak;
        this.contract = contract;
    }

    /// <summary>Every request as "METHOD /path -> status".</summary>
    public IReadOnlyList<string> Requests => requests.ToList();

    /// <summary>POST, PATCH and DELETE requests received (whatever their answer).</summary>
    public int Writes => Volatile.Read(ref writes);

    public IReadOnlyList<JsonObject> Environments
    {
        get
        {
            lock (gate)
            {
                return environments.Select(e => (JsonObject)e.DeepClone()).ToList();
            }
        }
    }

    /// <summary>Adds an environment directly (as an admin would have), returning its id.</summary>
    public string AddEnvironment(string name, string image, int port = 8080, string defaultUrl = "/lab", bool archived = false, string? workingDirectory = null, string? mountDirectory = null, string[]? command = null, string[]? args = null, string? description = null)
    {
        var env = new JsonObject
        {
            ["id"] = Ulid.New(),
            ["name"] = name,
            ["creation_date"] = Now(),
            ["container_image"] = image,
            ["default_url"] = defaultUrl,
            ["uid"] = 1000,
            ["gid"] = 1000,
            ["port"] = port,
            ["is_archived"] = archived,
            ["strip_path_prefix"] = false,
        };
        Set(env, "description", description);
        Set(env, "working_directory", workingDirectory);
        Set(env, "mount_directory", mountDirectory);
        if (command is not null)
        {
            env["command"] = ToArray(command);
        }

        if (args is not null)
        {
            env["args"] = ToArray(args);
        }

        lock (gate)
        {
            environments.Add(env);
        }

        return (string)env["id"]!;
    }

    /// <summary>
    /// Adds a launcher in a project; <paramref name="environmentId"/> null gives it a CUSTOM image
    /// environment. <paramref name="launcherType"/> is served as given: <c>interactive</c> and
    /// <c>non-interactive</c> (data services 0.78 and later), <c>non_interactive</c> (0.75 to 0.77),
    /// <c>app</c> (unreleased), or anything a future version sends.
    /// </summary>
    public string AddLauncher(string name, string? environmentId, string? projectId = null, bool publicProject = false, string launcherType = "interactive", params string[] members)
    {
        var launcher = new FakeLauncher(Ulid.New(), projectId ?? Ulid.New(), name, Now(), environmentId, publicProject, members.ToHashSet(StringComparer.Ordinal), launcherType, null);
        lock (gate)
        {
            launchers.Add(launcher);
        }

        return launcher.Id;
    }

    /// <summary>
    /// Adds a launcher whose CUSTOM environment Renku builds from a repository
    /// (<c>environment_image_source: build</c>); it has no <c>container_image</c> until
    /// <paramref name="builtImage"/> is given (a build succeeded).
    /// </summary>
    public string AddBuildLauncher(string name, string repository, string? builtImage = null, string? projectId = null, string launcherType = "interactive", string builderVariant = "python", string frontendVariant = "jupyterlab")
    {
        var build = new FakeBuild(repository, builderVariant, frontendVariant, builtImage);
        var launcher = new FakeLauncher(Ulid.New(), projectId ?? Ulid.New(), name, Now(), null, false, new HashSet<string>(StringComparer.Ordinal), launcherType, build);
        lock (gate)
        {
            launchers.Add(launcher);
        }

        return launcher.Id;
    }

    /// <summary>
    /// What <c>GET /sessions/images?image_url=</c> answers for <paramref name="image"/> (as the client
    /// writes it): accessible or not, through a registry connection of the named provider or
    /// anonymously (null), with the platforms read. Images never set answer "not accessible".
    /// </summary>
    public void SetImageCheck(string image, bool accessible, string? connectionProvider = null, params string[] platforms)
    {
        var answer = new JsonObject { ["accessible"] = accessible };
        if (platforms.Length > 0)
        {
            answer["platforms"] = new JsonArray(platforms.Select(p =>
            {
                string[] parts = p.Split('/');
                var platform = new JsonObject { ["os"] = parts[0], ["architecture"] = parts[1] };
                if (parts.Length > 2)
                {
                    platform["variant"] = parts[2];
                }

                return (JsonNode?)platform;
            }).ToArray());
        }

        if (connectionProvider is not null)
        {
            string provider = "provider-" + connectionProvider.ToLowerInvariant().Replace(' ', '-');
            answer["connection"] = new JsonObject { ["id"] = Ulid.New(), ["provider_id"] = provider, ["status"] = "connected" };
            answer["provider"] = new JsonObject { ["id"] = provider, ["name"] = connectionProvider, ["url"] = "https://" + provider + ".example.org" };
        }

        imageChecks[image] = answer;
    }

    /// <summary>
    /// Adds a resource pool (as an admin would have) running on <paramref name="platform"/>, with
    /// one class per name (the first is the pool's default class), returning the pool's id and
    /// its classes' ids. <paramref name="platform"/> is served as given, even outside the spec's
    /// enum, so that a test can see the contract check refuse it.
    /// </summary>
    public (int PoolId, int[] ClassIds) AddResourcePool(string name, string platform, bool isDefault = false, bool isPublic = true, double? cpuLimitFactor = null, params string[] classNames)
    {
        lock (gate)
        {
            int poolId = pools.Count + 1;
            var classIds = new List<int>();
            var classes = new JsonArray();
            string[] names = classNames.Length == 0 ? new[] { "small" } : classNames;
            for (int i = 0; i < names.Length; i++)
            {
                int classId = ++nextClassId;
                classIds.Add(classId);
                classes.Add(new JsonObject
                {
                    ["id"] = classId,
                    ["name"] = names[i],
                    ["cpu"] = 0.5 * (i + 1),
                    ["memory"] = 1 << i,
                    ["gpu"] = 0,
                    ["max_storage"] = 64,
                    ["default_storage"] = 1,
                    ["default"] = i == 0,
                    ["tolerations"] = new JsonArray(),
                    ["node_affinities"] = new JsonArray(),
                });
            }

            var pool = new JsonObject
            {
                ["id"] = poolId,
                ["name"] = name,
                ["classes"] = classes,
                ["quota"] = new JsonObject { ["id"] = "quota-" + poolId.ToString(CultureInfo.InvariantCulture), ["cpu"] = 100, ["memory"] = 400, ["gpu"] = 0 },
                ["default"] = isDefault,
                ["public"] = isPublic,
                ["platform"] = platform,
                ["idle_threshold"] = 86400,
                ["hibernation_threshold"] = 604800,
            };
            if (cpuLimitFactor is not null)
            {
                pool["cpu_limit_factor"] = cpuLimitFactor.Value;
            }

            pools.Add(pool);
            return (poolId, classIds.ToArray());
        }
    }

    /// <summary>Sets the resource class a launcher names (null: none, so Renku uses the default pool's default class).</summary>
    public void SetLauncherResourceClass(string launcherId, int? classId)
    {
        lock (gate)
        {
            launcherClasses[launcherId] = classId;
        }
    }

    /// <summary>The next request with <paramref name="method"/> answers <paramref name="status"/> with the API's error shape.</summary>
    public void FailNext(string method, int status, string message) => failures.Enqueue((method, status, message));

    internal void Map(WebApplication app)
    {
        app.MapGet(BasePath + "/version", () => Results.Json(new JsonObject { ["version"] = Version }));

        app.MapGet(BasePath + "/user", (HttpContext c) =>
        {
            FakeUser? user = UserOf(c);
            if (user is null)
            {
                return Error(401, "You have to be authenticated to perform this operation.");
            }

            var json = new JsonObject { ["id"] = user.Id, ["username"] = user.UserName, ["is_admin"] = user.IsAdmin };
            Set(json, "email", user.Email);
            Set(json, "first_name", user.FirstName);
            Set(json, "last_name", user.LastName);
            return Results.Json(json);
        });

        app.MapGet(BasePath + "/environments", (HttpContext c) =>
        {
            bool archived = string.Equals(c.Request.Query["include_archived"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
            lock (gate)
            {
                return Results.Json(new JsonArray(environments.Where(e => archived || !(bool)e["is_archived"]!).Select(e => (JsonNode?)e.DeepClone()).ToArray()));
            }
        });

        app.MapPost(BasePath + "/environments", async (HttpContext c) =>
        {
            if (Injected("POST") is IResult failure)
            {
                return failure;
            }

            FakeUser? user = UserOf(c);
            if (user is null)
            {
                return Error(401, "You have to be authenticated to perform this operation.");
            }

            if (!user.IsAdmin)
            {
                return Error(403, "You do not have the required permissions for this operation.");
            }

            JsonObject? body = await ReadObjectAsync(c).ConfigureAwait(false);
            string? problem = body is null ? "The request body is not a JSON object." : contract.FirstSchemaError("EnvironmentPost", body);
            if (problem is not null)
            {
                return Error(422, problem);
            }

            var env = new JsonObject
            {
                ["id"] = Ulid.New(),
                ["name"] = body!["name"]!.DeepClone(),
                ["creation_date"] = Now(),
                ["container_image"] = body["container_image"]!.DeepClone(),
                ["default_url"] = body["default_url"]?.DeepClone() ?? "/lab",
                ["uid"] = body["uid"]?.DeepClone() ?? 1000,
                ["gid"] = body["gid"]?.DeepClone() ?? 1000,
                ["port"] = body["port"]?.DeepClone() ?? 8080,
                ["is_archived"] = body["is_archived"]?.DeepClone() ?? false,
                ["strip_path_prefix"] = body["strip_path_prefix"]?.DeepClone() ?? false,
            };
            foreach (string key in new[] { "description", "working_directory", "mount_directory", "command", "args" })
            {
                if (body[key] is JsonNode value)
                {
                    env[key] = value.DeepClone();
                }
            }

            lock (gate)
            {
                environments.Add(env);
            }

            return Results.Json(env.DeepClone(), statusCode: 201);
        });

        app.MapGet(BasePath + "/environments/{id}", (string id) =>
        {
            if (!ContractChecker.IsUlid(id))
            {
                return Error(422, $"Validation error: environment_id '{id}' is not a valid ULID.");
            }

            JsonObject? env = Find(id);
            return env is null ? Error(404, $"Session environment with id '{id}' does not exist.") : Results.Json(env.DeepClone());
        });

        app.MapMethods(BasePath + "/environments/{id}", new[] { "PATCH" }, async (HttpContext c, string id) =>
        {
            if (Injected("PATCH") is IResult failure)
            {
                return failure;
            }

            FakeUser? user = UserOf(c);
            if (user is null || !user.IsAdmin)
            {
                // renku-data-services answers 401 here for any non-admin, authenticated or not.
                return Error(401, "You do not have the required permissions for this operation.");
            }

            if (!ContractChecker.IsUlid(id))
            {
                return Error(422, $"Validation error: environment_id '{id}' is not a valid ULID.");
            }

            JsonObject? body = await ReadObjectAsync(c).ConfigureAwait(false);
            string? problem = body is null ? "The request body is not a JSON object." : contract.FirstSchemaError("EnvironmentPatch", body);
            if (problem is not null)
            {
                return Error(422, problem);
            }

            lock (gate)
            {
                JsonObject? env = environments.FirstOrDefault(e => (string)e["id"]! == id);
                if (env is null)
                {
                    return Error(404, $"Session environment with id '{id}' does not exist.");
                }

                foreach (var (key, value) in body!)
                {
                    bool clears = value is null || (value is JsonValue v && v.TryGetValue(out string? s) && s.Length == 0 && key is "working_directory" or "mount_directory" or "description");
                    if (clears)
                    {
                        env.Remove(key);
                    }
                    else
                    {
                        env[key] = value!.DeepClone();
                    }
                }

                return Results.Json(env.DeepClone());
            }
        });

        app.MapDelete(BasePath + "/environments/{id}", (HttpContext c, string id) =>
        {
            if (Injected("DELETE") is IResult failure)
            {
                return failure;
            }

            FakeUser? user = UserOf(c);
            if (user is null)
            {
                return Error(401, "You have to be authenticated to perform this operation.");
            }

            if (!user.IsAdmin)
            {
                return Error(403, "You do not have the required permissions for this operation.");
            }

            lock (gate)
            {
                if (launchers.Any(l => l.EnvironmentId == id))
                {
                    return Error(500, "Database error occurred: update or delete on table \"environments\" violates foreign key constraint on table \"launchers\".");
                }

                // 204 whether or not the id existed.
                environments.RemoveAll(e => (string)e["id"]! == id);
            }

            return Results.NoContent();
        });

        app.MapGet(BasePath + "/sessions/images", (HttpContext c) =>
        {
            // The platform's pull check: anyone may ask; a malformed reference is 422 (PLATFORM.md §1).
            string image = c.Request.Query["image_url"].ToString();
            if (image.Length == 0 || image.Any(char.IsWhiteSpace) || image != image.Trim())
            {
                return Error(422, $"Validation error: image_url '{image}' is not a valid image reference.");
            }

            return Results.Json(imageChecks.TryGetValue(image, out JsonObject? answer) ? answer.DeepClone() : new JsonObject { ["accessible"] = false });
        });

        app.MapGet(BasePath + "/resource_pools", (HttpContext c) =>
        {
            // Admins see every pool, others the public ones (the fake has no pool members).
            FakeUser? user = UserOf(c);
            lock (gate)
            {
                return Results.Json(new JsonArray(pools.Where(p => (user?.IsAdmin ?? false) || (bool)p["public"]!).Select(p =>
                {
                    var pool = (JsonObject)p.DeepClone();
                    foreach (JsonNode? cls in pool["classes"]!.AsArray())
                    {
                        cls!["matching"] = true;
                    }

                    return (JsonNode?)pool;
                }).ToArray()));
            }
        });

        app.MapGet(BasePath + "/resource_pools/{id}", (HttpContext c, string id) =>
        {
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int poolId) || poolId < 1)
            {
                return Error(422, $"Validation error: resource_pool_id '{id}' is not a positive integer.");
            }

            FakeUser? user = UserOf(c);
            lock (gate)
            {
                JsonObject? pool = pools.FirstOrDefault(p => (int)p["id"]! == poolId && ((user?.IsAdmin ?? false) || (bool)p["public"]!));
                return pool is null ? Error(404, $"The resource pool with id {poolId} cannot be found.") : Results.Json(pool.DeepClone());
            }
        });

        app.MapGet(BasePath + "/classes/{id}", (string id) =>
        {
            lock (gate)
            {
                JsonNode? found = int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int classId)
                    ? pools.SelectMany(p => p["classes"]!.AsArray()).FirstOrDefault(c => (int)c!["id"]! == classId)
                    : null;
                return found is null ? Error(404, $"The resource class with id {id} cannot be found.") : Results.Json(found.DeepClone());
            }
        });

        app.MapGet(BasePath + "/session_launchers", (HttpContext c) =>
        {
            FakeUser? user = UserOf(c);
            lock (gate)
            {
                return Results.Json(new JsonArray(launchers.Where(l => CanRead(user, l)).Select(l => (JsonNode?)LauncherJson(l)).ToArray()));
            }
        });

        app.MapGet(BasePath + "/projects/{projectId}/session_launchers", (HttpContext c, string projectId) =>
        {
            FakeUser? user = UserOf(c);
            lock (gate)
            {
                return Results.Json(new JsonArray(launchers.Where(l => l.ProjectId == projectId && CanRead(user, l)).Select(l => (JsonNode?)LauncherJson(l)).ToArray()));
            }
        });
    }

    internal void Record(string method, string path, int status)
    {
        requests.Enqueue($"{method} {path} -> {status}");
        if (method is "POST" or "PATCH" or "DELETE")
        {
            Interlocked.Increment(ref writes);
        }
    }

    private static bool CanRead(FakeUser? user, FakeLauncher launcher) =>
        launcher.PublicProject || (user is not null && (user.IsAdmin || launcher.Members.Contains(user.UserName)));

    private JsonObject LauncherJson(FakeLauncher launcher)
    {
        JsonObject environment;
        JsonObject? global = launcher.EnvironmentId is null ? null : environments.FirstOrDefault(e => (string)e["id"]! == launcher.EnvironmentId);
        if (global is not null)
        {
            environment = (JsonObject)global.DeepClone();
            environment["environment_kind"] = "GLOBAL";
        }
        else
        {
            environment = new JsonObject
            {
                ["id"] = launcher.CustomEnvironmentId,
                ["name"] = launcher.Name + " environment",
                ["creation_date"] = launcher.CreationDate,
                ["container_image"] = "registry.example.org/team/custom:1.0",
                ["default_url"] = "/",
                ["uid"] = 1000,
                ["gid"] = 1000,
                ["port"] = 8888,
                ["is_archived"] = false,
                ["strip_path_prefix"] = false,
                ["environment_kind"] = "CUSTOM",
            };
        }

        environment["environment_image_source"] = "image";
        if (launcher.Build is { } build)
        {
            // A build environment: no container_image until a build succeeded (PLATFORM.md §1).
            environment.Remove("container_image");
            if (build.Image is not null)
            {
                environment["container_image"] = build.Image;
            }

            environment["environment_image_source"] = "build";
            environment["build_parameters"] = new JsonObject
            {
                ["repository"] = build.Repository,
                ["builder_variant"] = build.BuilderVariant,
                ["frontend_variant"] = build.FrontendVariant,
            };
        }

        var json = new JsonObject
        {
            ["id"] = launcher.Id,
            ["project_id"] = launcher.ProjectId,
            ["name"] = launcher.Name,
            ["creation_date"] = launcher.CreationDate,
            ["environment"] = environment,
            ["resource_class_id"] = 1,
            ["launcher_type"] = launcher.LauncherType,
        };
        if (launcherClasses.TryGetValue(launcher.Id, out int? classId))
        {
            json["resource_class_id"] = classId;
        }

        return json;
    }

    private IResult? Injected(string method)
    {
        if (failures.TryPeek(out var next) && next.Method == method && failures.TryDequeue(out next))
        {
            return Error(next.Status, next.Message);
        }

        return null;
    }

    private FakeUser? UserOf(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? keycloak.Validate(header[7..].Trim()) : null;
    }

    private JsonObject? Find(string id)
    {
        lock (gate)
        {
            return environments.FirstOrDefault(e => (string)e["id"]! == id);
        }
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    internal static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = 1000 + status, ["message"] = message } }, statusCode: status);

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Set(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }

    private static JsonArray ToArray(string[] items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    private sealed record FakeBuild(string Repository, string BuilderVariant, string FrontendVariant, string? Image);

    private sealed record FakeLauncher(string Id, string ProjectId, string Name, string CreationDate, string? EnvironmentId, bool PublicProject, HashSet<string> Members, string LauncherType, FakeBuild? Build)
    {
        public string CustomEnvironmentId { get; } = Ulid.New();
    }
}
