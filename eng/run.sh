#!/usr/bin/env bash
# Runs the whole platform with its dashboard: installs missing prerequisites, then starts the
# AppHost. Arguments go to the AppHost, e.g. eng/run.sh --Infrastructure:Mode=local
set -euo pipefail
cd "$(dirname "$0")/.."
eng/prereqs.sh
exec dotnet run --project AppHost -- "$@"
