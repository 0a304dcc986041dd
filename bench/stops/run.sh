#!/usr/bin/env bash
# The stop soak on a Docker engine of its own (so that nothing else runs containers there while it
# counts them): starts dockerd on a private socket, builds the module, runs the harness
# (arguments: [iterations per scenario=50] [seed]), stops the engine it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
state=$(mktemp -d /tmp/renku-soak-XXXXXX)
dockerd --host "unix://$state/docker.sock" --data-root "$state/data" --exec-root "$state/exec" \
  --pidfile "$state/docker.pid" --storage-driver=vfs --iptables=false --ip-masq=false --bridge=none \
  --log-level warn >"$state/dockerd.log" 2>&1 &
daemon=$!
cleanup() {
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  umount -l "$state/exec/netns/default" 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT
for _ in $(seq 1 150); do [ -S "$state/docker.sock" ] && break; sleep 0.2; done
export RENKU_TEST_DOCKER_HOST="unix://$state/docker.sock"
dotnet build src/Renku.PowerShell -v q -nologo
dotnet run -c Release --project bench/stops/Renku.PowerShell.Bench.Stops.csproj -- "$@"
