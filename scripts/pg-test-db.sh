#!/usr/bin/env bash
# Make a local PostgreSQL ready for the test suite, idempotently:
#   start the cluster if it is down (needs root or passwordless sudo),
#   create or refresh role vcc_test (password vcc_test) and database vcc_test owned by it,
#   check a password login over TCP.
# On success prints the SQLAlchemy URL on stdout, e.g.
#   postgresql+psycopg://vcc_test:vcc_test@localhost:5432/vcc_test
# On failure prints one line saying why on stderr and exits 1.
#
# PG_CLUSTER=15/main picks a cluster (default: the first one pg_lsclusters lists).
set -euo pipefail

ROLE="${PG_TEST_ROLE:-vcc_test}"
DB="${PG_TEST_DB:-vcc_test}"
PASSWORD="${PG_TEST_PASSWORD:-vcc_test}"
HOST="${PG_TEST_HOST:-localhost}"

fail() { echo "$*" >&2; exit 1; }

command -v pg_lsclusters >/dev/null 2>&1 \
    || fail "PostgreSQL server is not installed (Debian: apt-get install postgresql)"

if [ "$(id -u)" = 0 ]; then
    as_root() { "$@"; }
    as_postgres() { runuser -u postgres -- "$@"; }
elif sudo -n true 2>/dev/null; then
    as_root() { sudo -n "$@"; }
    as_postgres() { sudo -n -u postgres "$@"; }
else
    as_root() { return 1; }
    as_postgres() { "$@"; }   # maybe the current user is a PostgreSQL superuser
fi

if [ -n "${PG_CLUSTER:-}" ]; then
    line="$(pg_lsclusters -h | awk -v v="${PG_CLUSTER%/*}" -v n="${PG_CLUSTER#*/}" '$1==v && $2==n')"
else
    line="$(pg_lsclusters -h | head -n 1)"
fi
[ -n "$line" ] || fail "no PostgreSQL cluster ${PG_CLUSTER:-} found (pg_lsclusters)"
read -r version cluster port status _ <<<"$line"

if [ "${status%%,*}" != online ]; then
    as_root pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 \
        || fail "cluster $version/$cluster is down and could not be started (needs root or passwordless sudo)"
fi
for _ in $(seq 1 30); do
    pg_isready -q -p "$port" && break
    sleep 1
done
pg_isready -q -p "$port" || fail "cluster $version/$cluster on port $port does not accept connections"

# Run psql from / so the postgres user never needs access to the checkout.
psql_admin() { (cd / && as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"); }

psql_admin -c "select 1" >/dev/null 2>&1 \
    || fail "cannot connect to cluster $version/$cluster as a superuser (run as root or with sudo)"

psql_admin -v role="$ROLE" -v pw="$PASSWORD" >/dev/null <<'SQL' || fail "could not create role $ROLE"
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw') \gexec
SQL

exists="$(psql_admin -tA -v db="$DB" <<'SQL'
SELECT 1 FROM pg_database WHERE datname = :'db'
SQL
)" || fail "could not list databases"
if [ "$exists" != 1 ]; then
    (cd / && as_postgres createdb -p "$port" -O "$ROLE" "$DB") >/dev/null \
        || fail "could not create database $DB"
fi

PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -h "$HOST" -p "$port" -U "$ROLE" -d "$DB" \
    -c "select 1" >/dev/null 2>&1 \
    || fail "role $ROLE cannot log in to $DB over TCP at $HOST:$port (check pg_hba.conf)"

echo "postgresql+psycopg://$ROLE:$PASSWORD@$HOST:$port/$DB"
