#!/bin/sh
# Suspicious-transaction reports end to end over HTTP: score a day, build a
# case from alerts, escalate it (the suspicion is confirmed), draft the
# report, edit its narrative, submit it, see that the analyst cannot approve,
# approve it as a supervisor, download the BSTR file and validate it against
# schemas/camlmac.xsd; then correct it (a C file with the original's date and
# sequence), and check the audit chain.
. tests/e2e/lib.sh
command -v xmllint >/dev/null || fail "xmllint missing (apt-get install libxml2-utils)"
XSD="$ROOT/schemas/camlmac.xsd"
cd "$TMP"
PORT=$((30000 + ($$ + 11) % 20000))
URL=http://127.0.0.1:$PORT
RICD=C0000000000001
"$FANZHA" gen --seed 5 --customers 400 --days 1 -o day.csv >/dev/null 2>&1 || fail "gen"
ING=$("$FANZHA" token create --role ingest --db s.db 2>/dev/null) || fail "token"
ANA=$("$FANZHA" token create --role analyst --name alice --db s.db 2>/dev/null) || fail "token"
SUP=$("$FANZHA" token create --role supervisor --name bob --db s.db 2>/dev/null) || fail "token"
"$FANZHA" serve --listen 127.0.0.1:$PORT --db s.db --no-progress --ricd $RICD --bank FZB >serve.log 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 100); do curl -sf $URL/healthz >/dev/null && break; sleep 0.1; done
get() { curl -s -H "Authorization: Bearer $1" "$URL$2"; }
post() { curl -s -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$URL$2"; }
patch() { curl -s -X PATCH -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$URL$2"; }
id_of() { sed -n 's/^{"id":\([0-9]*\).*/\1/p'; }

"$FANZHA" send --url 127.0.0.1:$PORT --token "$ING" --quiet day.csv || fail "send"

# a case from the alerts of one account
ACC=$(get "$ANA" '/v1/alerts?status=open&rule=TY-NEW-ACCT-LARGE&limit=1' | sed -n 's/.*"account":"\([^"]*\)".*/\1/p')
[ -n "$ACC" ] || fail "no open TY-NEW-ACCT-LARGE alert"
IDS=$(get "$ANA" "/v1/alerts?status=open&account=$ACC&limit=20" | grep -o '{"id":[0-9]*' | sed 's/{"id"://' | paste -sd, -)
CID=$(post "$ANA" /v1/cases "{\"title\":\"mule account $ACC\",\"alert_ids\":[$IDS]}" | id_of)
[ -n "$CID" ] || fail "case not created"

# not confirmed yet: no report
post "$ANA" /v1/cases/$CID/str '{}' | grep -q '"status":409' || fail "a report from an open case"
post "$ANA" /v1/cases/$CID/escalate '{"reason":"新开户即大额过渡，疑似出租出借账户"}' | grep -q escalated || fail "escalate"

# the draft: codes from the rules, narratives from the reasons, the deadline
D=$(post "$ANA" /v1/cases/$CID/str '{"detr":"01"}')
SID=$(echo "$D" | id_of)
[ -n "$SID" ] || fail "draft: $D"
echo "$D" > draft.json
expect_in draft.json '"status":"draft"'
expect_in draft.json '"tptr":"01"'
expect_in draft.json '"FZB-0601"'
expect_in draft.json '"1201"'
expect_in draft.json '新开立账户（30天内）资金流量较大'
expect_in draft.json '疑似出租出借账户'
expect_in draft.json '"due_date":"'
post "$ANA" /v1/cases/$CID/str '{}' | grep -q '"status":409' || fail "a second open report on the case"

# the analyst edits; bad codes are refused with the field named
patch "$ANA" /v1/str/$SID '{"tosc":["9999"]}' | grep -q '"field":"tosc"' || fail "bad TOSC accepted"
patch "$ANA" /v1/str/$SID '{"file_name":"x"}' | grep -q '"field":"file_name"' || fail "uneditable member accepted"
patch "$ANA" /v1/str/$SID '{"aosp":"经分析：该账户开户后短期内大额资金快进快出，疑似电信诈骗资金过渡账户。","tosc":["1201","0802"]}' | grep -q '疑似电信诈骗资金过渡账户' || fail "edit"

# submit; the analyst may not approve (route roles), the submitter may not either
post "$ANA" /v1/str/$SID/approve '{}' | grep -q '"status":403' || fail "analyst approved"
post "$ANA" /v1/str/$SID/submit '{}' | grep -q '"status":"submitted"' || fail "submit"
patch "$ANA" /v1/str/$SID '{"aosp":"late"}' | grep -q '"status":409' || fail "edit after submit"
get "$ANA" /v1/str/$SID/file | grep -q '"status":404' || fail "a file before approval"
post "$SUP" /v1/str/$SID/reject '{"reason":"补充交易对手信息"}' | grep -q '"status":"draft"' || fail "reject"
post "$ANA" /v1/str/$SID/submit '{}' | grep -q '"status":"submitted"' || fail "resubmit"
A=$(post "$SUP" /v1/str/$SID/approve '{}')
echo "$A" | grep -q '"status":"filed"' || fail "approve: $A"
NAME=$(echo "$A" | sed -n 's/.*"file_name":"\([^"]*\)".*/\1/p')
case "$NAME" in NBS${RICD}-2*-00000001.XML) ;; *) fail "file name $NAME" ;; esac

# the file: valid against the XSD, with the edited analysis and the codes
get "$ANA" /v1/str/$SID/file > "$NAME"
xmllint --noout --schema "$XSD" "$NAME" 2>xsd.err || { cat xsd.err; fail "$NAME does not validate"; }
expect_in "$NAME" '<BSTR>'
expect_in "$NAME" '疑似电信诈骗资金过渡账户'
expect_in "$NAME" '<TOSC seqno="2">0802</TOSC>'
expect_in "$NAME" '<STCR seqno="1">FZB-0601</STCR>'
expect_in "$NAME" "<CTAC>${ACC%@*}</CTAC>"
get "$ANA" "/v1/str?status=filed" | grep -q "\"id\":$SID" || fail "list filed"

# a correction: a new draft of kind C, filed as CBS with the original's date and sequence
C=$(post "$ANA" /v1/str/$SID/correct '{}')
CSID=$(echo "$C" | id_of)
echo "$C" | grep -q "\"kind\":\"C\",\"original_id\":$SID" || fail "correction: $C"
patch "$ANA" /v1/str/$CSID '{"dorp":"02"}' | grep -q '"dorp":"02"' || fail "edit correction"
post "$ANA" /v1/str/$CSID/submit '{}' >/dev/null
post "$SUP" /v1/str/$CSID/approve '{}' | grep -q "\"file_name\":\"C${NAME#N}\"" || fail "correction file name"
get "$ANA" /v1/str/$SID | grep -q '"status":"corrected"' || fail "the original is not marked corrected"
get "$ANA" /v1/str/$CSID/file > "C${NAME#N}"
xmllint --noout --schema "$XSD" "C${NAME#N}" 2>xsd.err || { cat xsd.err; fail "the correction does not validate"; }

kill $SPID; wait $SPID 2>/dev/null
"$FANZHA" audit verify --db s.db > verify.txt || fail "audit verify: $(cat verify.txt)"
for a in str.draft str.edit str.submit str.reject str.approve str.correct; do
    [ "$(sqlite3 s.db "SELECT count(*) FROM audit WHERE action = '$a'")" -gt 0 ] || fail "no audit entry $a"
done
echo "str: drafted, edited, rejected, approved, filed $NAME, corrected, audit intact"
