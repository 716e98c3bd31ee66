#!/usr/bin/env bash
# Runs the whole platform with its dashboard: installs missing prerequisites, then starts the
# AppHost. Arguments go to the AppHost, e.g. eng/run.sh --Infrastructure:Mode=local
set -euo pipefail
cd "$(dirname "$0")/.."
eng/prereqs.sh

# The AppHost warns at start when the ASP.NET Core development certificate is missing or not
# trusted. Nothing here needs it (the dashboard and the services run on http), but a trusted
# certificate silences the banner: create and trust one where the machine allows it. On Linux
# `--trust` writes an OpenSSL trust folder that .NET only reads through SSL_CERT_DIR.
dev_cert_trust="$HOME/.aspnet/dev-certs/trust"
export SSL_CERT_DIR="$dev_cert_trust:${SSL_CERT_DIR:-$(openssl version -d 2>/dev/null | sed -n 's/^OPENSSLDIR: "\(.*\)"$/\1/p')/certs}"
if ! dotnet dev-certs https --check --trust >/dev/null 2>&1; then
  if dotnet dev-certs https --trust >/dev/null 2>&1 && dotnet dev-certs https --check --trust >/dev/null 2>&1; then
    echo "run.sh: created and trusted an ASP.NET Core development certificate (SSL_CERT_DIR includes $dev_cert_trust)."
  else
    echo "run.sh: could not trust a development certificate here ('dotnet dev-certs https --trust' failed);" \
      "the AppHost's certificate warning is harmless: the dashboard and the services run on http."
  fi
fi

exec dotnet run --project AppHost -- "$@"
