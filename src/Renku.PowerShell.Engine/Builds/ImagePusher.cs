using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

using Docker.DotNet;
using Docker.DotNet.Models;

using Renku.PowerShell.Registry;

namespace Renku.PowerShell.Builds;

/// <summary>
/// Pushes tags through the engine (POST /images/{name}/push), with the registry credentials in the
/// X-Registry-Auth header; reports per-layer progress as one percentage and reads the digest the
/// registry returned.
/// </summary>
internal static class ImagePusher
{
    private static readonly Regex DigestLine = new(@"digest: (sha256:[0-9a-f]{64})", RegexOptions.CultureInvariant);

    /// <param name="dockerConfigPath">The Docker config file to take credentials from when <paramref name="credential"/> is null; null means DOCKER_CONFIG or ~/.docker.</param>
    public static async Task<IReadOnlyList<PushedTag>> PushAsync(DockerClient client, IReadOnlyList<string> tags, NetworkCredential? credential, string? dockerConfigPath, Action<BuildEvent> sink, CancellationToken cancellationToken)
    {
        var pushed = new List<PushedTag>();
        var dockerConfig = new Registry.DockerConfigCredentials(dockerConfigPath, message => sink(BuildEvent.Warning(message)));
        foreach (string tag in tags)
        {
            ImageReference reference = ImageReference.Parse(tag);
            var auth = new AuthConfig { ServerAddress = reference.IsDockerHub ? "https://index.docker.io/v1/" : reference.Registry };
            if (credential is not null)
            {
                auth.Username = credential.UserName;
                auth.Password = credential.Password;
            }
            else if (dockerConfig.Find(reference.Registry) is { } configured)
            {
                sink(BuildEvent.Debug($"Using the Docker config's credentials for {reference.Registry}."));
                if (configured.IdentityToken is not null)
                {
                    auth.IdentityToken = configured.IdentityToken;
                }
                else
                {
                    auth.Username = configured.UserName;
                    auth.Password = configured.Password;
                }
            }

            var progress = new PushProgress(reference.FullName, sink);
            string name = reference.Name;
            try
            {
                await client.Images.PushImageAsync(name, new ImagePushParameters { Tag = reference.Tag }, auth, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException ex)
            {
                throw new ImageBuildException(ImageBuildFailure.PushFailed, $"Pushing {reference.FullName} failed: {DockerImageBuilder.EngineMessage(ex)}", innerException: ex);
            }

            if (progress.Error is not null)
            {
                throw new ImageBuildException(ImageBuildFailure.PushFailed, $"Pushing {reference.FullName} failed: {progress.Error}. Check the registry address and -Credential (the user needs push rights on {reference.Repository}).");
            }

            if (progress.Digest is null)
            {
                throw new ImageBuildException(ImageBuildFailure.PushFailed, $"Pushing {reference.FullName} ended without a digest from the registry.");
            }

            sink(BuildEvent.Output($"Pushed {reference.FullName}@{progress.Digest}"));
            pushed.Add(new PushedTag(reference.FullName, progress.Digest));
        }

        return pushed;
    }

    private sealed class PushProgress : IProgress<JSONMessage>
    {
        private readonly string activity;
        private readonly Action<BuildEvent> sink;
        private readonly Dictionary<string, (long Current, long Total)> layers = new(StringComparer.Ordinal);

        public PushProgress(string tag, Action<BuildEvent> sink)
        {
            activity = "Pushing " + tag;
            this.sink = sink;
        }

        public string? Digest { get; private set; }

        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Error is not null && !string.IsNullOrEmpty(value.Error.Message))
            {
                Error = value.Error.Message;
                return;
            }

            if (value.Aux?.ExtensionData is { } aux && aux.TryGetValue("Digest", out object? digest))
            {
                string? digestText = digest is JsonElement element && element.ValueKind == JsonValueKind.String ? element.GetString() : digest?.ToString();
                if (!string.IsNullOrEmpty(digestText))
                {
                    Digest = digestText;
                }
            }

            if (string.IsNullOrEmpty(value.Status))
            {
                return;
            }

            Match line = DigestLine.Match(value.Status);
            if (line.Success && Digest is null)
            {
                Digest = line.Groups[1].Value;
            }

            if (!string.IsNullOrEmpty(value.ID))
            {
                if (value.Progress is { Total: > 0 } progress && progress.Current is { } current)
                {
                    layers[value.ID] = (current, progress.Total.Value);
                }
                else if (value.Status is "Pushed" or "Layer already exists" && layers.TryGetValue(value.ID, out var known))
                {
                    layers[value.ID] = (known.Total, known.Total);
                }
            }

            long sent = layers.Values.Sum(l => l.Current);
            long total = layers.Values.Sum(l => l.Total);
            int percent = total > 0 ? (int)Math.Clamp(sent * 100 / total, 0, 100) : -1;
            string text = string.IsNullOrEmpty(value.ID) ? value.Status : value.ID + ": " + value.Status;
            sink(BuildEvent.Transfer(activity, text, percent));
        }
    }
}
