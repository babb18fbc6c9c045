#!/bin/sh
# Decisions over HTTP with persistence on: `fanzha serve` (event log in
# SQLite WAL, synchronous=FULL, group commit) under wrk on loopback, the two
# cores shared between server and load generator. Baseline in the same run:
# the same server committing each transaction on its own (--commit-batch 1),
# as a service that fsyncs per answer would.
#   sh bench/bench_http.sh [SECONDS] [CONNECTIONS]
set -e
cd "$(dirname "$0")/.."
SECS=${1:-20}
CONNS=${2:-64}
F=${FANZHA:-build/release/fanzha}
command -v wrk >/dev/null || { echo "bench_http: wrk not installed (apt-get install wrk)"; exit 2; }
DIR=$(mktemp -d)
PORT=$((20000 + $$ % 20000))
trap 'kill $SPID 2>/dev/null; rm -rf "$DIR"' EXIT

run() { # label, extra serve args
    rm -f "$DIR"/b.db*
    TOKEN=$($F token create --role ingest --db "$DIR/b.db" 2>/dev/null)
    $F serve --listen 127.0.0.1:$PORT --db "$DIR/b.db" --no-progress $2 >"$DIR/serve.log" 2>&1 &
    SPID=$!
    for i in $(seq 50); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.1; done
    FANZHA_RUN=w FANZHA_TOKEN=$TOKEN wrk -t1 -c"$CONNS" -d2s -s bench/wrk_txn.lua http://127.0.0.1:$PORT/ >/dev/null # warm-up
    line=$(FANZHA_RUN=m FANZHA_TOKEN=$TOKEN wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/wrk_txn.lua http://127.0.0.1:$PORT/ | grep wrk-summary)
    stored=$(curl -s http://127.0.0.1:$PORT/metrics | sed -n 's/^fanzha_eventlog_events_total //p')
    dups=$(curl -s http://127.0.0.1:$PORT/metrics | sed -n 's/^fanzha_duplicates_total //p')
    commits=$(curl -s http://127.0.0.1:$PORT/metrics | sed -n 's/^fanzha_eventlog_commits_total //p')
    kill $SPID; wait $SPID 2>/dev/null || true
    echo "$line" | sed "s/^wrk-summary/$1/"
    echo "    events stored $stored (warm-up included) in $commits commits, duplicates $dups"
    eval "$3=$(echo "$line" | sed -n 's/.*rps=\([0-9]*\).*/\1/p')"
}

echo "machine      $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "settings     wrk -t1 -c$CONNS -d${SECS}s on loopback, POST /v1/transactions, new id each, 100k accounts;"
echo "             serve: one HTTP thread + the log writer, SQLite WAL synchronous=FULL"
run "group commit    " "" g
run "commit per txn  " "--commit-batch 1" b
echo "ratio        $(echo "scale=1; $g / $b" | bc -l)x the per-transaction-commit baseline's decisions/s"
