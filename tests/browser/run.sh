#!/bin/sh
# Browser tests of the web UI against a real `fanzha serve`: a fresh
# database, an admin and an ingest token, the server on a free local port,
# then ui_test.mjs in headless Debian chromium. Exits with the test's status.
#
#   FANZHA    the binary (default build/release/fanzha, from the repo root)
#   CHROMIUM  the browser (default /usr/bin/chromium)
# `run.sh screenshots` runs screenshots.mjs instead (docs/img/*.png).
set -eu
script=ui_test.mjs
[ "${1:-}" = screenshots ] && script=screenshots.mjs
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
FANZHA=${FANZHA:-$root/build/release/fanzha}
case $FANZHA in /*) ;; *) FANZHA=$root/$FANZHA ;; esac
[ -x "$FANZHA" ] || { echo "FAIL - browser: no fanzha binary at $FANZHA (make first)"; echo "0 passed, 1 failed"; exit 1; }
command -v node >/dev/null 2>&1 || { echo "FAIL - browser: node is not installed"; echo "0 passed, 1 failed"; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "FAIL - browser: no chromium at ${CHROMIUM:-/usr/bin/chromium}"; echo "0 passed, 1 failed"; exit 1; }

if [ ! -d "$here/node_modules/playwright-core" ]; then
    (cd "$here" && { npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; }) >&2
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

db=$tmp/fanzha.db
admin=$("$FANZHA" token create --role admin --name ui-admin --db "$db")
ingest=$("$FANZHA" token create --role ingest --name ui-ingest --db "$db")

# a free port: let the kernel pick one for a moment
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$FANZHA" serve --listen "127.0.0.1:$port" --db "$db" --web "$root/web" --no-progress >"$tmp/serve.log" 2>&1 &
pid=$!
up=
for _ in $(seq 1 100); do
    if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$port/healthz"; then up=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$up" ]; then
    echo "FAIL - browser: fanzha serve did not come up"; sed 's/^/  serve: /' "$tmp/serve.log" | tail -20
    echo "0 passed, 1 failed"; exit 1
fi

status=0
FANZHA_URL="http://127.0.0.1:$port" FANZHA_TOKEN=$admin FANZHA_INGEST_TOKEN=$ingest \
    node "$here/$script" || status=$?
if [ "$status" -ne 0 ]; then sed 's/^/  serve: /' "$tmp/serve.log" | tail -20; fi
exit "$status"
