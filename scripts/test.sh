#!/usr/bin/env bash
# The project's full check (what `make test` and CI run):
#   decide the databases (SQLite always; PostgreSQL from TEST_DATABASE_URL or the local cluster),
#   then ruff, ruff format --check, mypy domain, pytest.
# Extra pytest arguments: `make test PYTEST_ARGS='-k login -x'` or `scripts/test.sh -k login`.
# With CI=true a missing PostgreSQL is an error, not a skip.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/env.sh

redact() { sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#'; }

if [ -n "${TEST_DATABASE_URL:-}" ]; then
    pg_url="$TEST_DATABASE_URL"
    pg_reason=""
else
    errfile="$(mktemp)"
    if pg_url="$(bash scripts/pg-test-db.sh 2>"$errfile")"; then
        pg_reason=""
    else
        pg_url=""
        pg_reason="$(tail -n 1 "$errfile")"
        pg_reason="${pg_reason:-scripts/pg-test-db.sh failed}"
    fi
    rm -f "$errfile"
fi

echo "================================================================================"
if [ -n "$pg_url" ]; then
    echo "Tests run on: SQLite and PostgreSQL ($(printf '%s' "$pg_url" | redact))"
    export TEST_DATABASE_URL="$pg_url"
else
    echo "Tests run on: SQLite only (no PostgreSQL: $pg_reason)"
    unset TEST_DATABASE_URL
    if [ "${CI:-}" = true ]; then
        echo "CI=true requires PostgreSQL: failing." >&2
        exit 1
    fi
fi
echo "================================================================================"

if [ "$#" -eq 0 ] && [ -n "${PYTEST_ARGS:-}" ]; then
    eval "set -- $PYTEST_ARGS"   # keeps the caller's shell quoting: PYTEST_ARGS='-k "a or b"'
fi

step() { echo; echo "---- $*"; "$@"; }
step ruff check .
step ruff format --check .
step mypy domain
# PYTEST_WORKERS=N (default: 2 when the machine has 2 or more cores) runs the suite in two passes:
#   1. everything but the browser tests on N pytest-xdist workers; each worker makes its own
#      SQLite and PostgreSQL databases (tests/conftest.py names them by process id);
#   2. the browser tests (marker e2e) in this process: one production build in .web, one server,
#      one browser. They must not share a run with other workers' servers or builds.
# PYTEST_WORKERS=1 runs everything in one process, in one pass. A pass that selects no test
# (pytest exit code 5, e.g. `-k` matching only unit tests) is not a failure unless both are empty.
if [ -n "${PYTEST_WORKERS:-}" ]; then
    workers="$PYTEST_WORKERS"
else
    cores="$(nproc 2>/dev/null || echo 1)"
    workers=$(( cores >= 2 ? 2 : 1 ))
fi
if [ "$workers" -le 1 ]; then
    step pytest "$@"
    exit 0
fi
pass_rc() {  # run one pass, print its exit code, never stop the script
    set +e
    step "$@"
    local rc=$?
    set -e
    return_rc=$rc
}
pass_rc pytest -n "$workers" -m "not e2e" "$@"
first=$return_rc
pass_rc pytest -m e2e "$@"
second=$return_rc
echo
echo "---- pytest passes: not e2e on $workers workers exit $first; e2e in one process exit $second"
if [ "$first" -eq 5 ] && [ "$second" -eq 5 ]; then exit 5; fi
for rc in "$first" "$second"; do
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then exit "$rc"; fi
done
exit 0
