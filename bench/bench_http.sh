#!/bin/sh
# Decisions over HTTP with persistence on: `fanzha serve` (event log in
# SQLite WAL, synchronous=FULL, group commit) under wrk on loopback, the two
# cores shared between server and load generator. The load is a bank's day
# from `fanzha gen` (100,000 customers; planted scams; ~3 % of transactions
# raise an alert) replayed in time order with new ids (bench/wrk_replay.lua).
# Baseline in the same run: the same server committing each transaction on
# its own (--commit-batch 1), as a service that fsyncs per answer would.
# Also printed: a stress load where every account is new and amounts run to
# 100,000 yuan, so most transactions raise alerts (bench/wrk_txn.lua), one
# transaction a request and 16 a request. Each setting runs ROUNDS times on a
# fresh store (the machine is shared: say the spread, not one number).
# Last, two long rounds of the bank's day (SUSTAIN seconds, 40 by default),
# the lower one the figure: whether the rate holds as the store grows past
# a gigabyte and the day's mid-day peak of alerts and holds comes through
# (one round says little on a shared machine).
#   sh bench/bench_http.sh [SECONDS] [ROUNDS] [SUSTAIN]
# FANZHA_BENCH_STORE_DIR=/dev/shm puts the stores in a temporary folder
# there instead (a diagnostic run: what the disk costs); default: the temp
# folder on the normal disk.
set -e
cd "$(dirname "$0")/.."
SECS=${1:-10}
ROUNDS=${2:-3}
SUSTAIN=${3:-40}
F=${FANZHA:-build/release/fanzha}
command -v wrk >/dev/null || { echo "bench_http: wrk not installed (apt-get install wrk)"; exit 2; }
DIR=$(mktemp -d)
STORE=$DIR
[ -n "$FANZHA_BENCH_STORE_DIR" ] && STORE=$(mktemp -d "$FANZHA_BENCH_STORE_DIR/fanzha-bench.XXXXXX")
PORT=$((20000 + $$ % 20000))
SPID=
trap '[ -n "$SPID" ] && kill $SPID 2>/dev/null; rm -rf "$DIR" "$STORE"' EXIT

# The bank's day, enough rows for the warm-up and the longest round.
WARM=100000
echo "bench_http: generating a bank's day (fanzha gen --customers 100000)" >&2
$F gen --customers 100000 --days 2 -o "$DIR/day.csv" 2>/dev/null
sync # the file's 500 MB written back now, not under the first round
export FANZHA_REPLAY_CSV="$DIR/day.csv"

# run LABEL CONNS BATCH SERVE-ARGS: one round of LEN seconds (default
# SECONDS) on a fresh store, one summary line. BATCH "replay" replays the
# bank's day; a number N uses the stress load, N transactions a request (0:
# one, to /v1/transactions).
run() {
    len=${LEN:-$SECS}
    rps=${RPS:-50000} # rows prebuilt per second of the round: more than the server takes
    rm -f "$STORE"/b.db*
    TOKEN=$($F token create --role ingest --db "$STORE/b.db" 2>/dev/null)
    $F serve --listen 127.0.0.1:$PORT --db "$STORE/b.db" --no-progress $4 >"$DIR/serve.log" 2>&1 &
    SPID=$!
    for i in $(seq 50); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.1; done
    script=bench/wrk_txn.lua
    [ "$3" = replay ] && script=bench/wrk_replay.lua
    FANZHA_RUN=w FANZHA_BATCH=$3 FANZHA_REPLAY_ROWS=$WARM FANZHA_TOKEN=$TOKEN wrk -t1 -c"$2" -d2s -s $script \
        http://127.0.0.1:$PORT/ >/dev/null
    cpu0=$(cpu_ticks $SPID); n0=$(events)
    line=$(FANZHA_RUN=m FANZHA_BATCH=$3 FANZHA_REPLAY_SKIP=$WARM FANZHA_REPLAY_ROWS=$((len * rps)) \
        FANZHA_TOKEN=$TOKEN wrk -t1 -c"$2" -d"${len}s" --timeout 10s -s $script http://127.0.0.1:$PORT/ | grep wrk-summary)
    cpu1=$(cpu_ticks $SPID); n1=$(events)
    curl -s http://127.0.0.1:$PORT/metrics > "$DIR/metrics"
    commits=$(sed -n 's/^fanzha_eventlog_commits_total //p' "$DIR/metrics")
    # the server's own view (warm-up included): answers within 5 ms of
    # arrival, and how many took over 50 ms (wrk's p99.9 also holds wrk's own
    # pauses, which the 40 s round's 1.5 GB of prebuilt requests bring)
    le5=$(sed -n 's/^fanzha_decision_latency_seconds_bucket{le="0.005"} //p' "$DIR/metrics")
    le50=$(sed -n 's/^fanzha_decision_latency_seconds_bucket{le="0.05"} //p' "$DIR/metrics")
    all=$(sed -n 's/^fanzha_decision_latency_seconds_count //p' "$DIR/metrics")
    kill $SPID; wait $SPID 2>/dev/null || true; SPID=
    rm -f "$STORE"/b.db*; sync # the next round starts with no writeback of this one's files
    echo "$1 $(echo "$line" | sed 's/^wrk-summary //') commits=$commits server_within_5ms=$(printf "%.2f" "$(echo "100 * $le5 / $all" | bc -l)")% over_50ms=$((all - le50)) server_cpu_us_per_txn=$(printf "%.1f" "$(echo "($cpu1 - $cpu0) * 1000000 / $(getconf CLK_TCK) / ($n1 - $n0)" | bc -l)")"
}

# the server's CPU time so far (user + system), in clock ticks; events it
# has written (wrk's prebuilding before its clock starts costs the server
# nothing, so the difference over a round is the round's)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
events() { curl -s http://127.0.0.1:$PORT/metrics | sed -n 's/^fanzha_eventlog_events_total //p'; }

# series LABEL CONNS BATCH SERVE-ARGS: ROUNDS rounds printed; the median
# round's decisions/s into $DIR/median
series() {
    nr=${NR:-$ROUNDS}
    for r in $(seq "$nr"); do run "$@"; done > "$DIR/rounds"
    sed 's/^/    /' "$DIR/rounds"
    sed -n 's/.*decisions_per_s=\([0-9]*\).*/\1/p' "$DIR/rounds" | sort -n | sed -n "$(( (nr + 1) / 2 ))p" > "$DIR/median"
    [ -s "$DIR/median" ] || { echo "bench_http: $1: no round gave a figure; the server said:"; cat "$DIR/serve.log"; exit 1; }
}

echo "machine      $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "settings     wrk -t1 on loopback, ${SECS}s a round after a 2 s warm-up, $ROUNDS rounds each, fresh store each;"
echo "             new transaction ids; serve: one HTTP thread and the event-log writer (which"
echo "             also checkpoints); SQLite WAL synchronous=FULL: every answer waits for its fsync"
echo "store        $STORE ($(df -P "$STORE" | awk 'NR==2{print $1}'))"
echo "== a bank's day, one transaction per request, 48 connections, group commit"
series group 48 replay ""; g=$(cat "$DIR/median")
echo "== many connections: a bank's day with 400, one round"
NR=1 RPS=80000 series many 400 replay ""
echo "== a bank's day, one transaction per request, 48 connections, a commit per transaction (baseline)"
series commit1 48 replay "--commit-batch 1"; b=$(cat "$DIR/median")
echo "== stress (every account new, most transactions alert), one per request, 64 connections, group commit"
series stress 64 0 ""; t=$(cat "$DIR/median")
echo "== stress, POST /v1/transactions/batch, 16 transactions a request, 16 connections, group commit"
series batch16 16 16 ""; m=$(cat "$DIR/median")
echo "== sustained: a bank's day, two rounds of ${SUSTAIN}s, 48 connections, group commit (the lower is the figure)"
LEN=$SUSTAIN NR=2 RPS=45000 series sustained 48 replay ""; u=$(cat "$DIR/median")
echo "median       bank's day $g decisions/s, baseline $b decisions/s; sustained ${SUSTAIN}s $u (the lower of two); stress $t, stress batch-16 $m"
echo "ratio        $(echo "scale=1; $g / $b" | bc -l)x the per-transaction-commit baseline"
