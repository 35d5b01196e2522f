#!/usr/bin/env bash
# The OpenAPI document works with a client no one here wrote (issue 15 item 9).
#
# Validates /api/openapi.json of a live `gongjue serve` with openapi-spec-validator, generates a
# Python client from it with openapi-python-client (failing on any warning: a warning is an
# operation or a type the generator had to drop or guess), then drives a short assembly through
# the generated functions only (.ci/generated_client.py): sign-in, the lakeside roster upload,
# items of each kind, codes, owners' ballots, a paper ballot confirmed by a second secretary,
# turnout, closing, results, publication, signed export, keys and the audit check. Any error
# status or unexpected body fails the step.
#
# Uses the debug binary that `cargo test --workspace` already built (builds nothing), a fresh
# SQLite database in a temporary directory and a free port; the tools are pinned in a venv
# under target/ (reused while the pins match). The server log is kept in
# target/generated-client-server.log.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENT_VERSION=0.29.1
VALIDATOR_VERSION=0.9.0
GONGJUE="$PWD/target/debug/gongjue"
ROSTER="$PWD/../shared/fixtures/lakeside.csv"
VENV="$PWD/target/generated-client-venv"
LOG_COPY="$PWD/target/generated-client-server.log"

command -v curl >/dev/null || { echo "generated_client.sh: curl is needed" >&2; exit 1; }
[ -x "$GONGJUE" ] || { echo "generated_client.sh: $GONGJUE is missing; run cargo test --workspace first" >&2; exit 1; }
[ -f "$ROSTER" ] || { echo "generated_client.sh: the roster fixture $ROSTER is missing" >&2; exit 1; }

pins="openapi-python-client==$CLIENT_VERSION openapi-spec-validator==$VALIDATOR_VERSION"
if [ "$(cat "$VENV/pins" 2>/dev/null)" != "$pins" ]; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    # shellcheck disable=SC2086 # the pins are separate words on purpose
    "$VENV/bin/pip" install --quiet $pins
    echo "$pins" >"$VENV/pins"
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    [ -f "$work/server.log" ] && cp "$work/server.log" "$LOG_COPY"
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
export DATABASE_URL="sqlite://$work/gongjue.db"
export NO_COLOR=1
(
    cd "$work"
    # A trial estate: voting opens seconds after announcing (a real one needs its minimum notice).
    estate="$("$GONGJUE" admin create-estate --name 湖畔花园 --trial)"
    echo 'generated-client-wang-2026' | "$GONGJUE" admin create-user --login wang --role secretary --estate "$estate" --password-stdin >/dev/null
    echo 'generated-client-li-2026' | "$GONGJUE" admin create-user --login li --role secretary --estate "$estate" --password-stdin >/dev/null
)
(cd "$work" && exec "$GONGJUE" serve --bind "127.0.0.1:$port" --workers 2 --secret-file "$work/secret.key") >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.1
done

curl -fsS "$base/api/openapi.json" -o "$work/openapi.json"
echo "--- openapi-spec-validator $VALIDATOR_VERSION"
"$VENV/bin/openapi-spec-validator" "$work/openapi.json"

echo "--- openapi-python-client $CLIENT_VERSION generate (warnings fail)"
# The signature's media type, application/jose (RFC 7515), is one the generator does not know:
# it is told to read it as the text it is. No post hooks: they run ruff, which is not installed.
# A document (PDF or an image) is bytes to a client, whichever its type.
printf 'content_type_overrides:\n  application/jose: text/plain\n  application/pdf: application/octet-stream\n  image/png: application/octet-stream\n  image/jpeg: application/octet-stream\n  image/webp: application/octet-stream\npost_hooks: []\n' >"$work/client.yaml"
(cd "$work" && "$VENV/bin/openapi-python-client" generate --path "$work/openapi.json" --config "$work/client.yaml" \
    --meta none --output-path "$work/gongjue_api_client" --fail-on-warning)

echo "--- an assembly through the generated client"
PYTHONPATH="$work" "$VENV/bin/python" .ci/generated_client.py "$base" "$ROSTER"
if grep -n 'panicked' "$work/server.log"; then echo "the server panicked"; exit 1; fi
