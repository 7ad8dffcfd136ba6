#!/usr/bin/env bash
# Runs the bridge on this machine, no Docker needed:
#   - builds the service and the Poe simulator (Release),
#   - starts a private PostgreSQL cluster (scripts/postgres.sh, port 55432, database 'bridge'),
#   - when Poe__ApiKey is not set, starts the bundled Poe simulator and points the bridge at it,
#   - runs the bridge with one client, 'demo', whose API key and signing secret (and the key that encrypts the
#     dashboard's data-protection keys) are generated once into .run/.
# Ctrl-C stops everything it started.
#
# Overrides: BRIDGE_URL (http://127.0.0.1:8080), SIMULATOR_URL (http://127.0.0.1:8090), BRIDGE_PG_PORT (55432).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bridge_url=${BRIDGE_URL:-http://127.0.0.1:8080}
simulator_url=${SIMULATOR_URL:-http://127.0.0.1:8090}
pg_port=${BRIDGE_PG_PORT:-55432}
state="$repo/.run"
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "run-local: $*" >&2; exit 1; }
# True when something already accepts connections on the host:port of this http URL.
listening() { local hostport=${1#*://}; hostport=${hostport%%/*}; (exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null; }
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# A value generated on the first run and kept in .run/ (git-ignored), so the demo credentials stay the same.
remembered() {
  local file="$state/$1"
  [ -s "$file" ] || { (umask 077; printf '%s' "$2" > "$file"); }
  cat "$file"
}

listening "$bridge_url" && fail "$bridge_url is already in use (another bridge?); stop it or set BRIDGE_URL."
if [ -z "${Poe__ApiKey:-}" ] && listening "$simulator_url"; then
  fail "$simulator_url is already in use; stop what listens there or set SIMULATOR_URL."
fi

mkdir -p "$state" && chmod 700 "$state"
demo_api_key=$(remembered demo-api-key "demo_$(random_hex 24)")
demo_signing_secret=$(remembered demo-signing-secret "whsec_$(head -c 32 /dev/urandom | base64 -w0)")
key_encryption_key=$(remembered key-encryption-key "$(head -c 32 /dev/urandom | base64 -w0)")

pids=()
pg_started_here=false
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if $pg_started_here; then bash scripts/postgres.sh stop "$pg_port"; fi
  say "Stopped."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "Building the bridge and the Poe simulator (Release), starting PostgreSQL on 127.0.0.1:$pg_port (data in .pgdata/$pg_port)..."
builds=()
for project in src/Poe.WebhookBridge src/Poe.Simulator; do
  dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly &
  builds+=($!) pids+=($!)
done
"$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || pg_started_here=true
admin=$(bash scripts/postgres.sh start "$pg_port")
psql=("$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAX)
if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'bridge'")" != 1 ]; then
  "${psql[@]}" -c 'CREATE DATABASE bridge'
fi
export ConnectionStrings__Postgres="${admin/Database=postgres/Database=bridge}"
for build in "${builds[@]}"; do
  wait "$build" || fail "the build failed (see above)."
done

if [ -z "${Poe__ApiKey:-}" ]; then
  simulator_key=$(remembered simulator-api-key "sim_$(random_hex 16)")
  say "Poe__ApiKey is not set: using the bundled Poe SIMULATOR at $simulator_url, not the real Poe."
  say "  Any video id you watch is created on first poll and completes about 22 s later (log: .run/simulator.log)."
  Simulator__AutoCreateUnknownVideos=true Simulator__ApiKeys__0="$simulator_key" \
    dotnet src/Poe.Simulator/bin/Release/net10.0/Poe.Simulator.dll --urls="$simulator_url" > "$state/simulator.log" 2>&1 &
  simulator_pid=$!
  pids+=("$simulator_pid")
  until listening "$simulator_url"; do
    kill -0 "$simulator_pid" 2>/dev/null || fail "the simulator did not start: $(tail -n 5 "$state/simulator.log")"
    sleep 0.2
  done
  export Poe__BaseUrl="$simulator_url" Poe__ApiKey="$simulator_key"
else
  say "Using the real Poe API at ${Poe__BaseUrl:-https://api.poe.com} with the Poe__ApiKey from your environment."
fi

say "Local development settings: Webhooks__AllowHttp=true, Webhooks__AllowPrivateNetworks=true (http and loopback callbacks accepted)."
export Webhooks__AllowHttp=true Webhooks__AllowPrivateNetworks=true
export Clients__demo__ApiKey="$demo_api_key" Clients__demo__SigningSecret="$demo_signing_secret"
export DataProtection__KeyEncryptionKey="${DataProtection__KeyEncryptionKey:-$key_encryption_key}"
export ASPNETCORE_URLS="$bridge_url"
dotnet src/Poe.WebhookBridge/bin/Release/net10.0/Poe.WebhookBridge.dll &
bridge_pid=$!
pids+=("$bridge_pid")

for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$bridge_url/health/ready" 2>/dev/null; then break; fi
  kill -0 "$bridge_pid" 2>/dev/null || fail "the bridge exited during start-up (see its output above)."
  sleep 0.5
done
curl -fsS -o /dev/null "$bridge_url/health/ready" || fail "the bridge did not become ready in 60 s: $(curl -sS "$bridge_url/health/ready")"

cat <<EOF

$(say "The bridge is ready at $bridge_url")
  client 'demo' API key:        $demo_api_key
  client 'demo' signing secret: $demo_signing_secret
  API reference:                $bridge_url/docs
  Hangfire dashboard:           $bridge_url/hangfire

  Register a watch:
    curl -sS $bridge_url/v1/watches -H "Authorization: Bearer $demo_api_key" \\
      -H 'Content-Type: application/json' \\
      -d '{"video_id":"video_123","callback_url":"http://127.0.0.1:9000/hooks/poe"}'

Press Ctrl-C to stop.
EOF

wait "$bridge_pid"
