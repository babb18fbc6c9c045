#!/bin/sh
# The server end to end over HTTP: score a day, find a held transaction,
# have a channel long-poll it, release it as an analyst (the channel gets
# the answer), build a case from an alert and close it as a false positive,
# check idempotency, bad input, roles, and that the audit chain verifies.
. tests/e2e/lib.sh
cd "$TMP"
PORT=$((30000 + ($$ + 7) % 20000))
URL=http://127.0.0.1:$PORT
"$FANZHA" gen --seed 5 --customers 400 --days 1 -o day.csv >/dev/null 2>&1 || fail "gen"
ING=$("$FANZHA" token create --role ingest --db s.db 2>/dev/null) || fail "token"
ANA=$("$FANZHA" token create --role analyst --name alice --db s.db 2>/dev/null) || fail "token"
"$FANZHA" serve --listen 127.0.0.1:$PORT --db s.db --no-progress >serve.log 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 100); do curl -sf $URL/healthz >/dev/null && break; sleep 0.1; done
get() { curl -s -H "Authorization: Bearer $1" "$URL$2"; }
post() { curl -s -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$URL$2"; }

"$FANZHA" send --url 127.0.0.1:$PORT --token "$ING" --quiet day.csv || fail "send"

# roles: an ingest token may not read alerts; no token is 401
get "$ING" /v1/alerts | grep -q '"status":403' || fail "ingest read alerts"
curl -s $URL/v1/alerts | grep -q '"status":401' || fail "no token"

# idempotency and bad input
T='{"id":"E2E-1","time":"2026-11-27T10:00:00+08:00","payer_acct":"P1","payee_acct":"P2","amount":"10.00"}'
post "$ING" /v1/transactions "$T" | grep -q '"duplicate":false' || fail "first post"
post "$ING" /v1/transactions "$T" | grep -q '"duplicate":true' || fail "second post not a duplicate"
post "$ING" /v1/transactions '{"id":"E2E-2","time":"x","payer_acct":"P1","payee_acct":"P2","amount":"1"}' | grep -q '"field":"time"' || fail "bad time not named"
post "$ING" /v1/transactions '{"id":' | grep -q '"status":400' || fail "bad JSON"

# a batch: JSON lines, a bad line answered in place, a repeat answered as one
B=$(printf '%s\n%s\n%s\n' '{"id":"E2E-B1","time":"2026-11-27T10:00:00+08:00","payer_acct":"P1","payee_acct":"P3","amount":"5.00"}' \
    '{"id":"E2E-B2","time":"2026-11-27T10:00:00+08:00","payer_acct":"P1","payee_acct":"P3","amount":"-"}' \
    '{"id":"E2E-1","time":"2026-11-27T10:00:00+08:00","payer_acct":"P1","payee_acct":"P2","amount":"10.00"}' |
    curl -s -H "Authorization: Bearer $ING" --data-binary @- $URL/v1/transactions/batch)
echo "$B" | grep -q '"duplicate":false},{"error":{"status":400,"code":"bad_request","field":"amount"' || fail "batch: $B"
echo "$B" | grep -q '"txn_id":"E2E-1".*"duplicate":true}]}' || fail "batch repeat: $B"

# a held transaction: the channel long-polls, the analyst releases
HOLD=$(get "$ANA" '/v1/holds?status=pending&limit=1')
HID=$(echo "$HOLD" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
TXN=$(echo "$HOLD" | sed -n 's/.*"txn_id":"\([^"]*\)".*/\1/p')
[ -n "$HID" ] && [ -n "$TXN" ] || fail "no pending hold in: $HOLD"
get "$ING" "/v1/transactions/$TXN?wait=20" > waited.json &
WPID=$!
sleep 0.5
kill -0 $WPID 2>/dev/null || fail "the long poll returned before the hold was resolved"
post "$ANA" /v1/holds/$HID/release '{"verification":"callback to registered phone","note":"customer confirmed"}' | grep -q released || fail "release"
wait $WPID
grep -q '"status":"released"' waited.json || fail "the channel did not get the release: $(cat waited.json)"
post "$ANA" /v1/holds/$HID/release '{"verification":"again"}' | grep -q '"status":409' || fail "second release not 409"

# a case from an alert, closed as a false positive
AID=$(get "$ANA" '/v1/alerts?status=open&limit=1' | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
[ -n "$AID" ] || fail "no open alert"
CID=$(post "$ANA" /v1/cases "{\"title\":\"e2e\",\"alert_ids\":[$AID]}" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
[ -n "$CID" ] || fail "case not created"
post "$ANA" /v1/cases/$CID/comments '{"body":"looked at it"}' | grep -q '"status":4' && fail "comment"
post "$ANA" /v1/cases/$CID/close '{"as":"false_positive","reason":"known payroll","suppress_days":30}' | grep -q closed_fp || fail "close"

# the money flows around the alerted account, from the event log
ACC=$(get "$ANA" "/v1/alerts/$AID" | sed -n 's/.*"account":"\([^"]*\)".*/\1/p')
get "$ANA" "/v1/accounts/$ACC/flows?depth=2" | grep -q "\"from\":\"$ACC\"\|\"to\":\"$ACC\"" || fail "no flows around $ACC"

# the OpenAPI document is the route table's, and docs/ has the same
curl -s $URL/openapi.json | cmp -s - "$ROOT/docs/openapi.json" || fail "docs/openapi.json differs from GET /openapi.json: regenerate it with fanzha serve --openapi > docs/openapi.json"

kill $SPID; wait $SPID 2>/dev/null
"$FANZHA" audit verify --db s.db > verify.txt || fail "audit verify: $(cat verify.txt)"
expect_in verify.txt "intact"
echo "serve: hold released to a waiting channel, case closed, audit intact"
