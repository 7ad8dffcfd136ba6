#!/usr/bin/env bash
# The soak: three bridge instances on one database under a steady mixed load (registrations that complete or fail,
# Poe faults, slow, failing, hanging and gone consumers, gateway creates) for 30 minutes, then the table of RSS,
# connections, threads, file descriptors and row counts at the start (after the warm-up) and the end, with their growth.
# It is the reliability suite's SoakTests at another length (CI runs 3 minutes); PostgreSQL as scripts/test.sh finds it.
#   bash scripts/soak.sh [--minutes N]     (N >= 3)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
minutes=30
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    *) echo "usage: $0 [--minutes N]" >&2; exit 2 ;;
  esac
done

status=0
BRIDGE_SOAK_MINUTES=$minutes BRIDGE_TEST_HANG_TIMEOUT=$((minutes + 10))m \
  bash "$repo/scripts/test.sh" --filter "FullyQualifiedName~ReliabilityTests.Endurance.SoakTests" || status=$?
echo
cat "$repo/TestResults/soak/latest.md" 2>/dev/null || echo "No soak table was written."
exit "$status"
