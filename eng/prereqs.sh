#!/usr/bin/env bash
# Installs what McpPlatform needs on a Debian/Ubuntu machine when it is missing, or says
# exactly what is missing and how to get it. Safe to run again: it installs nothing present.
#   eng/prereqs.sh          prerequisites to run the platform (local mode)
#   eng/prereqs.sh --test   also what the test suite needs (Node.js + npm for real MCP clients)
set -euo pipefail

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is not installed (dotnet not on PATH). Install .NET SDK 10.0.4xx and run again." >&2
  exit 1
fi

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# tools-workspace runs tenant scripts in workers under bubblewrap (docs/workspace.md, "Sandbox").
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
if $want_test; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "error: missing ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing ${missing[*]} and no apt-get here; install PostgreSQL 15+ server binaries, Redis 7+ and bubblewrap with your package manager." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..."
  "${sudo[@]}" apt-get update -qq
  # Debian's postgresql package creates (and may start) a cluster on 5432; the platform never
  # uses it: local mode runs its own cluster on a free port under .data/.
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if $want_test && [[ -f tests/clients/package.json ]]; then
  (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
