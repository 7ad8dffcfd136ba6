#!/usr/bin/env bash
# Runs every test project of the solution against a real PostgreSQL:
#   - BRIDGE_TEST_POSTGRES set: that server (an admin connection string; tests create their own databases),
#   - else a reachable Docker engine: Testcontainers starts one (the variable stays unset),
#   - else a private cluster from scripts/postgres.sh on 127.0.0.1:${BRIDGE_TEST_PG_PORT:-55433}, stopped at exit
#     (unless it was already running, e.g. started by hand).
# Ends with a summary and the line "N passed, N failed, N skipped"; exits non-zero when anything failed.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Watches"). A test running longer than
# BRIDGE_TEST_HANG_TIMEOUT (8m: the 3-minute soak with its start and settling takes 4-5 min on a loaded machine) is
# taken for a hang and aborted; scripts/soak.sh raises it for its long run.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
configuration=${TEST_CONFIGURATION:-Release}
# One folder per run, so runs side by side in one checkout keep their own logs; a day later they are removed.
results="$repo/TestResults/test-sh/$(date +%Y%m%d-%H%M%S)-$$"
log="$results/console.log"
started=$(date +%s)

say() { printf '==> %s\n' "$*"; }

# The private cluster may be shared by several test.sh runs in one checkout: each holds a shared lock on it
# while it runs; the first one in (alone, so it can lock exclusively) cleans it, the last one out stops it.
pg_lock=
stop_private_cluster() {
  if [ -n "$pg_lock" ] && flock -x -n 9 && [ -f "$pg_lock.ours" ]; then
    bash scripts/postgres.sh stop "$pg_port"
    rm -f "$pg_lock.ours"
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
  if flock -x -n 9; then alone=true; else alone=false; flock -s 9; fi
  bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
  # A cluster someone started by hand is left running at the end; one that a test.sh run started is stopped.
  if $alone && ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" 2>/dev/null; then touch "$pg_lock.ours"; fi
  # -o and 9>&-: the server it starts must not inherit (and so hold) either lock.
  BRIDGE_TEST_POSTGRES=$(flock -o -x "$pg_lock.start" bash scripts/postgres.sh start "$pg_port" 9>&-)
  export BRIDGE_TEST_POSTGRES
  if $alone; then
    # Nobody else is using the cluster: drop the databases that interrupted runs left behind, then share it.
    # (Without FORCE: a database still in use by a test run outside this script is left alone.)
    "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qtAX >/dev/null 2>&1 <<'SQL' || true
SELECT format('DROP DATABASE %I', datname) FROM pg_database WHERE datname LIKE 'bridge\_test\_%' \gexec
SQL
    flock -s 9
  fi
  say "PostgreSQL: no Docker engine; private cluster on 127.0.0.1:$pg_port ($BRIDGE_TEST_POSTGRES)."
fi

mkdir -p "$results"
find "$repo/TestResults/test-sh" -mindepth 1 -maxdepth 1 -mtime +0 -exec rm -rf {} + 2>/dev/null || true
say "Building Poe.WebhookBridge.sln ($configuration)..."
if ! dotnet build Poe.WebhookBridge.sln -c "$configuration" -nologo -v quiet -clp:ErrorsOnly; then
  echo
  echo "BUILD FAILED: no test ran."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

mapfile -t projects < <(dotnet sln Poe.WebhookBridge.sln list | grep -E '^tests/.*\.csproj$' || true)
say "Running ${#projects[@]} test project(s): ${projects[*]}"
# The reliability suite appends its figures (crashes, duplicates, lost, budget, shares) here; printed in the summary.
export BRIDGE_TEST_SUMMARY="$results/reliability-summary.txt"
set +e
# One test project at a time (-m:1): the reliability suite loads both cores with bridge processes, and the other
# projects' latency and isolation tests would measure it instead of the bridge.
dotnet test Poe.WebhookBridge.sln -c "$configuration" --no-build -nologo -m:1 \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout "${BRIDGE_TEST_HANG_TIMEOUT:-8m}" --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
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
if [ -s "$BRIDGE_TEST_SUMMARY" ]; then sed 's/^/  reliability: /' "$BRIDGE_TEST_SUMMARY"; fi
# Last, so that a CI log's tail shows why: each failed test with its message and the top of its stack.
awk '/^ +Failed [A-Za-z_.]/ { n = 14; sub(/^ +/, "  FAILED: "); print; next }
     n > 0 && /^ +(Passed|Failed|Skipped) [A-Za-z_.]|^(Passed|Failed)! |^(Data collector|Results File)/ { n = 0 }
     n > 0 { n--; print "    " $0 }' "$log" || true
echo "  TRX reports: ${results#"$repo"/}; time: $(( $(date +%s) - started )) s"
echo "======================================================"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
