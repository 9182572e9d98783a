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
# PYTEST_WORKERS=N runs N pytest-xdist workers (default 1: in this process, what CI measures).
# Each worker makes its own SQLite and PostgreSQL databases (tests/conftest.py); the e2e tests
# share one worker (one production build in .web, one server).
workers="${PYTEST_WORKERS:-1}"
if [ "$workers" -gt 1 ]; then
    step pytest -n "$workers" --dist loadgroup "$@"
else
    step pytest "$@"
fi
