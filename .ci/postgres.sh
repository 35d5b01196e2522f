#!/usr/bin/env bash
# Makes PostgreSQL 15 available on a clean Debian machine for the store's test suite.
# Idempotent: installs the server only if it is missing, starts the cluster only if it is down.
# It prints logs only and exports nothing; the caller sets GONGJUE_TEST_DATABASE_URL, e.g.
#   postgres://postgres:postgres@127.0.0.1:5432/postgres
set -euo pipefail

PG_CLUSTER="${PG_CLUSTER:-main}"

log() { echo "[postgres.sh] $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    log "must run as root (apt-get, pg_ctlcluster, su postgres)"
    exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "pg_ctlcluster missing: installing postgresql from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

# Debian 12 ships PostgreSQL 15; on another release use the server that apt installed.
if [ -z "${PG_VERSION:-}" ]; then
    if [ -d /usr/lib/postgresql/15 ]; then
        PG_VERSION=15
    else
        PG_VERSION="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)"
        log "PostgreSQL 15 not found; using version $PG_VERSION"
    fi
fi

if ! pg_lsclusters --no-header 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    log "cluster $PG_VERSION/$PG_CLUSTER missing: creating it"
    pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >&2
fi

if pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c && $4 == "online" { up = 1 } END { exit !up }'; then
    log "cluster $PG_VERSION/$PG_CLUSTER already online"
else
    log "starting cluster $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p 5432; then
        break
    fi
    sleep 0.5
done
if ! pg_isready -h 127.0.0.1 -p 5432 >&2; then
    log "PostgreSQL did not become ready; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
    exit 1
fi

# Peer authentication lets the postgres OS user in; the tests connect over TCP with a password.
# `cd /` keeps su from complaining about a working directory the postgres user cannot read.
(cd / && su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"ALTER USER postgres PASSWORD 'postgres'\"") >&2
log "ready: postgres://postgres:postgres@127.0.0.1:5432/postgres"
