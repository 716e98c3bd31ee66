#!/usr/bin/env bash
# Prints an access token for a demo principal from the running platform's identity service.
#   eng/token.sh contoso-agent | fabrikam-agent            client credentials
#   eng/token.sh alice | bob | operator                    authorization code + PKCE through the sign-in form
# Optional second argument: the resource (default the tools-knowledge MCP server).
# Secrets are the development defaults in AppHost/appsettings.Development.json.
set -euo pipefail
cd "$(dirname "$0")/.."

identity=http://localhost:5100
resource=${2:-http://localhost:5200/mcp}
# The quota, audit, platform telemetry and secrets APIs take their own scopes (quota:admin and
# telemetry:read are granted to operators only, secrets:write to tenant admins only). Users on
# tools-workspace also ask for workspace:admin (granted to tenant admins only: the connections
# API); agents keep mcp:tools.
case "$resource" in
  http://localhost:5300) scope="quota:read quota:admin" ;;
  http://localhost:5400) scope="telemetry:read" ;;
  http://localhost:5500) scope="audit:read" ;;
  http://localhost:5800) scope="secrets:write" ;;
  http://localhost:5210/mcp) scope="mcp:tools"; user_scope="mcp:tools workspace:admin" ;;
  *) scope="mcp:tools" ;;
esac
user_scope=${user_scope:-$scope}
settings=AppHost/appsettings.Development.json

secret() { grep -o "\"$1\": *\"[^\"]*\"" "$settings" | sed 's/.*: *"\(.*\)"/\1/'; }
field() { grep -o "\"$1\": *\"[^\"]*\"" | head -1 | sed 's/.*: *"\(.*\)"/\1/'; }
token_from() { local t; t=$(field access_token <<<"$1" || true); [[ -n $t ]] || fail "no token: $1"; echo "$t"; }
fail() { echo "error: $*" >&2; exit 1; }

agent() {
  local body
  body=$(curl -sS -u "$1:$(secret "$2")" -d grant_type=client_credentials -d "resource=$resource" -d "scope=$scope" "$identity/connect/token")
  token_from "$body"
}

user() {
  local email=$1 password jar verifier challenge location page antiforgery code body
  password=$(secret "$2")
  jar=$(mktemp); trap 'rm -f "$jar"' RETURN
  verifier=$(openssl rand -base64 48 | tr -d '\n=+/' | cut -c1-64)
  challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | openssl base64 | tr -d '\n=' | tr '+/' '-_')
  local redirect=http://localhost:7890/callback
  location=$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" -G "$identity/connect/authorize" \
    --data-urlencode client_id=mcp-cli --data-urlencode response_type=code --data-urlencode "redirect_uri=$redirect" \
    --data-urlencode "scope=openid offline_access $user_scope" --data-urlencode "resource=$resource" \
    --data-urlencode "code_challenge=$challenge" --data-urlencode code_challenge_method=S256 --data-urlencode state=cli)
  [[ -n $location ]] || fail "authorize did not redirect to sign-in"
  page=$(curl -sS -c "$jar" -b "$jar" "$location")
  antiforgery=$(grep -o 'name="__RequestVerificationToken" value="[^"]*"' <<<"$page" | sed 's/.*value="\(.*\)"/\1/')
  local return_url
  return_url=$(grep -o 'name="returnUrl" value="[^"]*"' <<<"$page" | sed 's/.*value="\(.*\)"/\1/; s/&amp;/\&/g')
  location=$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$identity/account/login" \
    --data-urlencode "__RequestVerificationToken=$antiforgery" --data-urlencode "returnUrl=$return_url" \
    --data-urlencode "email=$email" --data-urlencode "password=$password")
  [[ -n $location ]] || fail "sign-in refused for $email"
  location=$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$location")
  code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$location")
  [[ -n $code ]] || fail "no authorization code in $location"
  body=$(curl -sS "$identity/connect/token" -d grant_type=authorization_code -d client_id=mcp-cli \
    --data-urlencode "code=$code" --data-urlencode "redirect_uri=$redirect" --data-urlencode "code_verifier=$verifier")
  token_from "$body"
}

case "${1:-}" in
  contoso-agent) agent contoso-agent contoso-agent-secret ;;
  fabrikam-agent) agent fabrikam-agent fabrikam-agent-secret ;;
  alice) user alice@contoso.example contoso-user-password ;;
  bob) user bob@fabrikam.example fabrikam-user-password ;;
  operator) user operator@mcpplatform.example operator-password ;;
  *) echo "usage: eng/token.sh contoso-agent|fabrikam-agent|alice|bob|operator [resource]" >&2; exit 2 ;;
esac
