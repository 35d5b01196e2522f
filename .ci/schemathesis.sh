#!/usr/bin/env bash
# Schemathesis against /api/openapi.json of a live `gongjue serve` (issue 9, hostile input).
#
# Uses the debug binary that `cargo test --workspace` already built (builds nothing), a fresh
# SQLite database in a temporary directory (or, with SCHEMATHESIS_DATABASE_URL set to a
# PostgreSQL server's URL, a database of its own on that server, dropped afterwards) and a free
# port. Seeds an estate, a secretary, a roster, an open assembly with a motion, an election and
# a consultation, voting codes and a paper ballot, so that authenticated routes are reachable;
# then fuzzes every operation three times: as an owner and as the secretary with the seeded ids
# in the paths, and as the secretary with generated ids. Fails on a 5xx, on a response that
# breaks its declared schema, status code or content type. Bounded: each run has --max-time and
# a `timeout` around it. SCHEMATHESIS_SEED repeats a run; the whole server log is kept.
#
# Schemathesis is pinned: the v4 command line (`--max-examples`, `--phases`, `-c`) differs from v3.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
GONGJUE="$PWD/target/debug/gongjue"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
MAX_SECONDS="${SCHEMATHESIS_MAX_SECONDS:-45}"
SEED="${SCHEMATHESIS_SEED:-20261125}"
# The whole server log is kept here (the temporary directory goes); its errors are printed on a failure.
LOG_COPY="${SCHEMATHESIS_LOG:-$PWD/target/schemathesis-server.log}"

command -v curl >/dev/null || { echo "schemathesis.sh: curl is needed to seed the server" >&2; exit 1; }
[ -x "$GONGJUE" ] || { echo "schemathesis.sh: $GONGJUE is missing; run cargo test --workspace first" >&2; exit 1; }
if [ "$(python3 -c 'import schemathesis; print(schemathesis.__version__)' 2>/dev/null)" != "$SCHEMATHESIS_VERSION" ]; then
    python3 -m pip install --quiet --user "schemathesis==$SCHEMATHESIS_VERSION" \
        || python3 -m pip install --quiet --user --break-system-packages "schemathesis==$SCHEMATHESIS_VERSION"
fi

PG_SERVER_URL="${SCHEMATHESIS_DATABASE_URL:-}"
work="$(mktemp -d)"
server_pid=""
pg_database=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [ -n "$pg_database" ]; then psql "$PG_SERVER_URL" -qc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
api="$base/api/v1"
if [ -n "$PG_SERVER_URL" ]; then
    command -v psql >/dev/null || { echo "schemathesis.sh: psql is needed for a run on PostgreSQL" >&2; exit 1; }
    pg_database="gongjue_schemathesis_$$_$(date +%s)"
    psql "$PG_SERVER_URL" -qc "CREATE DATABASE $pg_database" >/dev/null
    DATABASE_URL="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$PG_SERVER_URL" "$pg_database")"
    backend=postgres
else
    DATABASE_URL="sqlite://$work/gongjue.db"
    backend=sqlite
fi
export DATABASE_URL
export NO_COLOR=1
cd "$work"

# A trial estate: voting opens a few seconds after the announcement.
estate="$("$GONGJUE" admin create-estate --name 湖畔花园 --trial)"
echo 'schemathesis-secretary-2026' | "$GONGJUE" admin create-user --login wang --role secretary --estate "$estate" --password-stdin >/dev/null
# The second secretary who reviews the election's candidates.
echo 'schemathesis-reviewer-2026' | "$GONGJUE" admin create-user --login li --role secretary --estate "$estate" --password-stdin >/dev/null

# Generous attempt limits: schemathesis sends many wrong codes and passwords on purpose; a 429
# is a documented answer, but would hide the routes behind it for the rest of the run.
"$GONGJUE" serve --bind "127.0.0.1:$port" --workers 2 --secret-file "$work/secret.key" \
    --code-failures-per-ip 100000 --code-failures-per-assembly 100000 --login-failures-per-ip 100000 \
    >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.1
done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
call() { # method path body → body; fails on an error status
    curl -fsS -X "$1" "$api$2" -H "authorization: Bearer $token" -H 'content-type: application/json' -d "${3:-}"
}

token="$(curl -fsS -X POST "$api/sessions" -H 'content-type: application/json' \
    -d '{"login":"wang","password":"schemathesis-secretary-2026"}' | json "['token']")"
reviewer_token="$(curl -fsS -X POST "$api/sessions" -H 'content-type: application/json' \
    -d '{"login":"li","password":"schemathesis-reviewer-2026"}' | json "['token']")"
printf 'zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email\n,1,1,101,1,100.00,P1,甲,,\n,1,1,102,1,100.00,P2,乙,,\n,2,1,101,1,80.00,P4,丁,,\n' \
    | curl -fsS -X PUT "$api/estates/$estate/roster?name=roster.csv" -H "authorization: Bearer $token" \
        -H 'content-type: text/csv' --data-binary @- >/dev/null
opens="$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)+d.timedelta(seconds=5)).isoformat())')"
closes="$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc)+d.timedelta(hours=2)).isoformat())')"
assembly="$(call POST "/estates/$estate/assemblies" "{\"title\":\"2026年第一次业主大会会议\",\"opens_at\":\"$opens\",\"closes_at\":\"$closes\",\"notice_days\":0,\"objection_days\":0,\"ballots_changeable\":true}" | json "['id']")"
item="$(call POST "/assemblies/$assembly/items" '{"kind":"motion","title":"续聘物业服务企业","matter":4}' | json "['id']")"
election="$(call POST "/assemblies/$assembly/items" '{"kind":"election","title":"选举业主委员会委员","seats":1,"candidates":["王一","李二"]}' | json "['id']")"
for name in 王一 李二; do
    candidate="$(call POST "/items/$election/candidates" "{\"name\":\"$name\",\"units\":[\"1-1-101\"],\"statement\":\"愿为业主服务。\",\"nominated_by\":\"自荐\",\"declarations\":{\"本小区业主本人（非仅为物业使用人）\":true,\"无拖欠物业服务费\":true,\"无违法搭建\":true}}" | json "['id']")"
    curl -fsS -X POST "$api/candidates/$candidate/review" -H "authorization: Bearer $reviewer_token" \
        -H 'content-type: application/json' -d '{"eligible":true}' >/dev/null
done
call POST "/assemblies/$assembly/items" '{"kind":"consultation","title":"停车位安排","questions":[{"id":"方案","options":["甲方案","乙方案"]}]}' >/dev/null
call POST "/assemblies/$assembly/announce" '{}' >/dev/null
python3 -c "import time, datetime as d; t = d.datetime.fromisoformat('$opens'); time.sleep(max(0.0, (t - d.datetime.now(d.timezone.utc)).total_seconds() + 0.3))"
call POST "/assemblies/$assembly/open" '{}' >/dev/null
code="$(call POST "/assemblies/$assembly/codes" '{}' | json "[0]['code']")"
received="$(python3 -c 'import datetime as d; print(d.datetime.now(d.timezone.utc).isoformat())')"
paper="$(call POST "/assemblies/$assembly/paper-ballots" "{\"item\":\"$item\",\"voter\":\"P2\",\"choice\":\"yes\",\"received_at\":\"$received\"}" | json "['id']")"
owner_token="$(curl -fsS -X POST "$api/owner-sessions" -H 'content-type: application/json' \
    -d "{\"code\":\"$code\",\"assembly_id\":\"$assembly\"}" | json "['token']")"

# The seeded ids, so that generated requests reach real records, not only 404s: the estate, the
# assembly, its motion and an unconfirmed paper ballot. Objections keep generated ids (one can
# only be filed after closing).
ids_config="$work/ids.toml"
cat >"$ids_config" <<TOML
[[operations]]
include-path-regex = "/estates/"
parameters = { "path.id" = "$estate" }

[[operations]]
include-path-regex = "/assemblies/"
parameters = { "path.id" = "$assembly" }

[[operations]]
include-path-regex = "/items/"
parameters = { "path.id" = "$item" }

[[operations]]
include-path-regex = "/paper-ballots/"
parameters = { "path.id" = "$paper" }
TOML
empty_config="$work/empty.toml"
: >"$empty_config"

# The coverage phase is left out: on this machine's CPython 3.11.7 it crashed schemathesis itself
# (hypothesis describing a lambda hit "SystemError: AST constructor recursion depth mismatch", a
# CPython bug) while generating a body for POST /assemblies/{id}/items: a tool error, not a
# finding, but it fails the run. The examples and fuzzing phases cover every operation.
# Except the caller's own session (`/sessions/current`): a generated sign-out or refresh would
# end the run's token, and every later request would only be refused 401.
run() { # label token config
    echo "--- schemathesis on $backend as $1 (at most $MAX_EXAMPLES examples per operation, ${MAX_SECONDS}s)"
    timeout --kill-after=10 "$((MAX_SECONDS + 30))" python3 -m schemathesis.cli --config-file "$3" run "$base/api/openapi.json" \
        --url "$base" \
        --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
        --phases examples,fuzzing \
        --max-examples "$MAX_EXAMPLES" --max-time "$MAX_SECONDS" --workers 2 \
        --request-timeout 10 --seed "$SEED" --suppress-health-check all \
        --exclude-path-regex '/sessions/current' \
        -H "Authorization: Bearer $2" --warnings off
}
status=0
# The owner first: the secretary's run re-issues codes (revoking the owner's session) and closes the assembly.
run "owner, seeded ids" "$owner_token" "$ids_config" || status=1
run "secretary, seeded ids" "$token" "$ids_config" || status=1
run "secretary, generated ids" "$token" "$empty_config" || status=1
if grep -n 'panicked' "$work/server.log"; then status=1; fi
cp "$work/server.log" "$LOG_COPY"
if [ "$status" -ne 0 ]; then
    echo "schemathesis: findings above; the whole server log is in $LOG_COPY; its errors:"
    grep -n -i -E 'error|panick|internal' "$work/server.log" | tail -n 200 || true
fi
exit "$status"
