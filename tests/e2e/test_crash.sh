#!/bin/sh
# Crash test (issue 4): load transactions over HTTP, kill -9 the server
# mid-stream, restart it, send everything again. Every acknowledged
# transaction must be stored exactly once with the decision it was
# acknowledged with, nothing may be stored twice, and the restarted engine's
# state must equal that of a server that ran the same stream uninterrupted.
. tests/e2e/lib.sh
command -v sqlite3 >/dev/null || fail "sqlite3 CLI not installed"
cd "$TMP"
PORT=$((30000 + $$ % 20000))
"$FANZHA" gen --seed 11 --customers 400 --days 1 -o day.csv >/dev/null 2>&1 || fail "gen"
total=$(($(wc -l < day.csv) - 1))

start() { # db
    "$FANZHA" serve --listen 127.0.0.1:$PORT --db "$1" --no-progress >>serve.log 2>&1 &
    SPID=$!
    for i in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && return 0; sleep 0.1; done
    cat serve.log; fail "server did not start"
}
state() { # db token -> digest
    curl -sf -H "Authorization: Bearer $2" http://127.0.0.1:$PORT/v1/engine/state | sed -n 's/.*"digest":"\([0-9a-f]*\)".*/\1/p'
}
trap 'kill -9 $SPID 2>/dev/null; rm -rf "$TMP"' EXIT

ING=$("$FANZHA" token create --role ingest --db crash.db 2>/dev/null) || fail "token"
ADM=$("$FANZHA" token create --role admin --db crash.db 2>/dev/null) || fail "token"
start crash.db
"$FANZHA" send --url 127.0.0.1:$PORT --token "$ING" --acks acks1.tsv --quiet day.csv 2>send1.log &
CPID=$!
acked_at_least() { [ -f acks1.tsv ] && [ "$(wc -l < acks1.tsv)" -ge "$1" ]; }
# a snapshot once a sixth has been acknowledged, kill -9 after a third
for i in $(seq 300); do acked_at_least $((total / 6)) && break; sleep 0.05; done
curl -sf -X POST -H "Authorization: Bearer $ADM" http://127.0.0.1:$PORT/v1/engine/snapshot > snap.json || fail "snapshot"
for i in $(seq 300); do acked_at_least $((total / 3)) && break; sleep 0.05; done
kill -9 $SPID
wait $SPID 2>/dev/null
wait $CPID 2>/dev/null && fail "the client did not notice the crash"
acked=$(wc -l < acks1.tsv)
[ "$acked" -ge $((total / 3)) ] || fail "only $acked acknowledged before the kill"
[ "$acked" -lt "$total" ] || fail "the kill came after the whole stream ($acked of $total)"

# Restart: the snapshot plus the events after it rebuild the engine; send
# the whole stream again.
start crash.db
grep -q "engine state from crash.db.snapshot" serve.log || fail "the snapshot was not loaded: $(cat serve.log)"
"$FANZHA" send --url 127.0.0.1:$PORT --token "$ING" --acks acks2.tsv --quiet day.csv 2>send2.log || fail "resend: $(cat send2.log)"
d_crash=$(state crash.db "$ADM")
kill $SPID; wait $SPID 2>/dev/null
# A clean stop writes a snapshot; starting from it alone gives the same state.
start crash.db
d_again=$(state crash.db "$ADM")
kill $SPID; wait $SPID 2>/dev/null
[ "$d_again" = "$d_crash" ] || fail "state after a clean restart $d_again != $d_crash"

# Every acknowledged transaction is there exactly once, with its decision.
sqlite3 crash.db "SELECT txn_id, json_extract(decision, '$.outcome') FROM events" | tr '|' '\t' | sort > stored.tsv
n_stored=$(wc -l < stored.tsv)
n_distinct=$(cut -f1 stored.tsv | sort -u | wc -l)
[ "$n_stored" -eq "$total" ] || fail "stored $n_stored events for $total transactions"
[ "$n_distinct" -eq "$n_stored" ] || fail "$((n_stored - n_distinct)) transactions stored twice"
sort acks1.tsv > a1.tsv
missing=$(comm -23 a1.tsv stored.tsv | wc -l)
[ "$missing" -eq 0 ] || fail "$missing acknowledged transactions lost or changed: $(comm -23 a1.tsv stored.tsv | head -3)"
dup_answers=$(grep -c . acks2.tsv)
[ "$dup_answers" -eq "$total" ] || fail "the resend was answered $dup_answers times for $total"

# The same stream, uninterrupted, gives the same engine state.
ADM2=$("$FANZHA" token create --role admin --db clean.db 2>/dev/null)
ING2=$("$FANZHA" token create --role ingest --db clean.db 2>/dev/null)
start clean.db
"$FANZHA" send --url 127.0.0.1:$PORT --token "$ING2" --quiet day.csv 2>send3.log || fail "clean run"
d_clean=$(state clean.db "$ADM2")
kill $SPID; wait $SPID 2>/dev/null
[ -n "$d_clean" ] && [ "$d_crash" = "$d_clean" ] || fail "engine state after the crash $d_crash != uninterrupted $d_clean"
echo "crash: snapshot at $(sed -n 's/.*"seq":\([0-9]*\).*/\1/p' snap.json), $acked of $total acknowledged before kill -9; all there once after restart; state digest $d_crash equal"
