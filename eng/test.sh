#!/usr/bin/env bash
# Runs every test: installs missing prerequisites (PostgreSQL, Redis, Node.js for the real MCP
# clients), builds, then runs all test projects. Integration tests start the platform once in
# local mode against a private data folder and clean it up afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/prereqs.sh --test
exec dotnet test --solution McpPlatform.sln "$@"
