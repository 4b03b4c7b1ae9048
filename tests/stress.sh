#!/usr/bin/env bash
# The acceptance tests, RUNS times in a row (default 10), while every core is kept busy
# by another process: a harness that waits a fixed time for the program shows up here.
#
#     bash tests/stress.sh [RUNS] [pytest arguments...]
#     bash tests/stress.sh 10 tests/acceptance/test_wizard_terminal.py   # one file's tests
#
# Run it in the venv the README sets up (pip install -e '.[test]'). Arguments after RUNS
# replace the default selection (tests/acceptance). It prints each run's result and
# time, then a line of figures; it exits 1 if any run was red.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
shift || true
[ "$#" -gt 0 ] || set -- tests/acceptance
cores=$(python -c 'import os; print(os.cpu_count() or 1)')

# One busy loop per core, at normal priority: the tests compete for every core.
busy=()
for _ in $(seq "$cores"); do
  python -c 'while True: pass' &
  busy+=($!)
done
trap 'kill "${busy[@]}" 2>/dev/null' EXIT

red=0
times=()
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  summary=$(python -m pytest -q -p no:cacheprovider "$@" 2>&1 | tail -n 1)
  status=${PIPESTATUS[0]}
  took=$(python -c "print(f'{$(date +%s.%N) - $start:.0f}')")
  times+=("$took")
  printf 'run %2d of %d: %s (%s s)\n' "$i" "$runs" "$summary" "$took"
  [ "$status" -eq 0 ] || red=$((red + 1))
done
echo "stress: $((runs - red)) of $runs runs green, $cores busy loops beside them, seconds per run: ${times[*]}"
[ "$red" -eq 0 ]
