#!/usr/bin/env bash
# Runs every test project of the solution against a real PostgreSQL:
#   - BRIDGE_TEST_POSTGRES set: that server (an admin connection string; tests create their own databases),
#   - else a reachable Docker engine: Testcontainers starts one (the variable stays unset),
#   - else a private cluster from scripts/postgres.sh on 127.0.0.1:${BRIDGE_TEST_PG_PORT:-55433}, stopped at exit.
# Ends with a summary and the line "N passed, N failed, N skipped"; exits non-zero when anything failed.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Watches").
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
configuration=${TEST_CONFIGURATION:-Release}
results="$repo/TestResults/test-sh"
log="$results/console.log"
started=$(date +%s)

say() { printf '==> %s\n' "$*"; }

# The private cluster may be shared by several test.sh runs in one checkout: each holds a shared lock on it
# while it runs, and the last one out (the only one that can take the lock exclusively) stops it.
pg_lock=
stop_private_cluster() {
  if [ -n "$pg_lock" ] && flock -x -n 9; then
    bash scripts/postgres.sh stop "$pg_port"
  fi
}
trap stop_private_cluster EXIT

if [ -n "${BRIDGE_TEST_POSTGRES:-}" ]; then
  say "PostgreSQL: BRIDGE_TEST_POSTGRES from the environment."
elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  say "PostgreSQL: a Docker engine is reachable; the tests start a Testcontainers PostgreSQL."
else
  pg_port=${BRIDGE_TEST_PG_PORT:-55433}
  mkdir -p "$repo/.pgdata"
  pg_lock="$repo/.pgdata/test-$pg_port.lock"
  exec 9>>"$pg_lock"
  flock -s 9
  BRIDGE_TEST_POSTGRES=$(flock -x "$pg_lock.start" bash scripts/postgres.sh start "$pg_port")
  export BRIDGE_TEST_POSTGRES
  say "PostgreSQL: no Docker engine; private cluster on 127.0.0.1:$pg_port ($BRIDGE_TEST_POSTGRES)."
fi

rm -rf "$results" && mkdir -p "$results"
say "Building Poe.WebhookBridge.sln ($configuration)..."
if ! dotnet build Poe.WebhookBridge.sln -c "$configuration" -nologo -v quiet -clp:ErrorsOnly; then
  echo
  echo "BUILD FAILED: no test ran."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

mapfile -t projects < <(dotnet sln Poe.WebhookBridge.sln list | grep -E '^tests/.*\.csproj$' || true)
say "Running ${#projects[@]} test project(s): ${projects[*]}"
set +e
dotnet test Poe.WebhookBridge.sln -c "$configuration" --no-build -nologo \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 5m --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One summary line per test assembly, e.g. "Passed!  - Failed: 0, Passed: 85, Skipped: 0, Total: 85, Duration: 21 s - X.dll (net10.0)".
passed=0 failed=0 skipped=0 reported=0
while IFS= read -r line; do
  [[ $line =~ Failed:\ *([0-9]+),\ *Passed:\ *([0-9]+),\ *Skipped:\ *([0-9]+),\ *Total:\ *[0-9]+ ]] || continue
  failed=$((failed + BASH_REMATCH[1])) passed=$((passed + BASH_REMATCH[2])) skipped=$((skipped + BASH_REMATCH[3]))
  reported=$((reported + 1))
done < <(grep -E '^(Passed|Failed)! +- ' "$log" || true)
# With --filter, a project without a matching test reports that instead of a summary.
reported=$((reported + $(grep -c 'No test matches the given testcase filter' "$log" || true)))

echo
echo "==================== test summary ===================="
grep -E '^(Passed|Failed)! +- ' "$log" | sed 's/^/  /' || true
if [ "$reported" -lt "${#projects[@]}" ]; then
  echo "  $(( ${#projects[@]} - reported )) test project(s) did not report a result (crashed, hung or failed to start)."
  failed=$((failed + ${#projects[@]} - reported))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "  dotnet test exited with $status."
  failed=1
fi
grep -E '^\s+Failed [A-Za-z_.]' "$log" | sed 's/^ */  FAILED: /' || true
echo "  TRX reports: ${results#"$repo"/}; time: $(( $(date +%s) - started )) s"
echo "======================================================"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
