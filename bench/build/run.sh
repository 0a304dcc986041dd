#!/usr/bin/env bash
# Builds the module, then runs the build benchmark (1 GB context by default; needs ~3 GB free
# for the context and the engine's copy of it). Uses the test engine on
# /tmp/renku-ps-test-docker/docker.sock (start it by running the Builds tests once) or
# RENKU_BENCH_DOCKER_HOST, and the base image renku-ps-test/build-base:1 the tests import.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/Renku.PowerShell -v q -nologo
dotnet run -c Release --project bench/build/Renku.PowerShell.Bench.Build.csproj
