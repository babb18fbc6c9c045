#!/bin/sh
# The demo behind `make run`: make a synthetic day of a Chinese bank with
# `fanzha gen`, scan it in batch once, then start `fanzha serve` on the
# embedded store (SQLite, build/demo/fanzha.db) and stream the day into it
# over HTTP, as a bank's channels would, while the web UI shows it live.
# Stop with Ctrl-C. DEMO_SECONDS=N stops by itself after N seconds;
# DEMO_LISTEN picks the address (default 127.0.0.1:8080).
set -e
FANZHA=${1:-build/release/fanzha}
DIR=build/demo
LISTEN=${DEMO_LISTEN:-127.0.0.1:8080}
mkdir -p "$DIR"
echo "== fanzha gen: one synthetic labelled day, 2,000 customers -> $DIR/day.csv"
"$FANZHA" gen --seed 7 --customers 2000 --days 1 -o "$DIR/day.csv"
echo "== fanzha scan $DIR/day.csv (batch)"
"$FANZHA" scan --no-progress --out "$DIR/out" "$DIR/day.csv" | sed -n '1,12p'

echo "== fanzha serve on $LISTEN, store $DIR/fanzha.db (made afresh)"
rm -f "$DIR"/fanzha.db "$DIR"/fanzha.db-wal "$DIR"/fanzha.db-shm
ADMIN=$("$FANZHA" token create --role admin --name demo-admin --db "$DIR/fanzha.db" 2>/dev/null)
INGEST=$("$FANZHA" token create --role ingest --name demo-channel --db "$DIR/fanzha.db" 2>/dev/null)
"$FANZHA" serve --listen "$LISTEN" --db "$DIR/fanzha.db" --no-progress &
SERVER=$!
trap 'kill $FEED $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; exit 0' INT TERM
for i in $(seq 100); do curl -sf "http://$LISTEN/healthz" >/dev/null && break; sleep 0.1; done
echo
echo "  Open http://$LISTEN/ and log in with this admin token:"
echo "    $ADMIN"
echo "  (more tokens: $FANZHA token create --role analyst --db $DIR/fanzha.db)"
echo "  Streaming $DIR/day.csv into POST /v1/transactions: the first 3,000 at once, then 100/s ..."
echo
"$FANZHA" send --url "$LISTEN" --token "$INGEST" --burst 3000 --rate 100 --quiet "$DIR/day.csv" &
FEED=$!
if [ -n "${DEMO_SECONDS:-}" ]; then
    sleep "$DEMO_SECONDS"
    echo "== after ${DEMO_SECONDS}s:"
    curl -s "http://$LISTEN/metrics" | grep -E '^fanzha_decisions_total'
    kill $FEED $SERVER 2>/dev/null
fi
wait $SERVER || true
