#!/usr/bin/env bash
# Regenerates the typed C# client (src/Poe.WebhookBridge.Client/Generated) from the OpenAPI document the bridge serves,
# with Kiota (a local .NET tool: dotnet-tools.json). The document is the bridge's own, never a copy kept by hand:
#   bash scripts/run-local.sh &                   # or any running bridge: BRIDGE_URL=http://host:port
#   bash scripts/generate-client.sh
# OPENAPI_DOCUMENT=<file> uses a document already downloaded; CLIENT_OUT=<dir> writes elsewhere (the drift test,
# ClientDriftTests, generates into a temporary folder from the document a test bridge serves and compares).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${CLIENT_OUT:-$repo/src/Poe.WebhookBridge.Client/Generated}
document=${OPENAPI_DOCUMENT:-}
if [ -z "$document" ]; then
  document=$(mktemp --suffix=.json)
  trap 'rm -f "$document"' EXIT
  curl -fsS "${BRIDGE_URL:-http://127.0.0.1:8080}/openapi/v1.json" -o "$document"
fi

cd "$repo"
dotnet tool restore >/dev/null
# Offline: no update check against the internet; the lock file and log name local paths, so they are not kept.
KIOTA_OFFLINE_ENABLED=true KIOTA_TUTORIAL_ENABLED=false dotnet kiota generate --language CSharp --openapi "$document" \
  --output "$out" --class-name BridgeClient --namespace-name Poe.WebhookBridge.Client \
  --exclude-backward-compatible --clean-output --log-level Error >/dev/null
rm -f "$out/kiota-lock.json" "$out/.kiota.log"
echo "Generated the client in $out"
