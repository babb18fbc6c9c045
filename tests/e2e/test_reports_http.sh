#!/bin/sh
# Large-value reports in the server: the records the engine makes as
# transactions are scored (the hand-checked day of test_report_lv.sh), their
# deadlines and the deadline board, making the files as a supervisor (an
# analyst may not), the files list, download and preview; every downloaded
# XML validates against schemas/camlmac.xsd, and equals, byte for byte, what
# `fanzha report large-value` makes of the same day with the same exemptions (one pipeline,
# src/aml/fz_lvreport.h). The audit chain still verifies.
. tests/e2e/lib.sh
command -v xmllint >/dev/null || fail "xmllint missing (apt-get install libxml2-utils)"
XSD=$ROOT/schemas/camlmac.xsd
DAY=$ROOT/tests/fixtures/report/day.csv
EXEMPT=$ROOT/tests/fixtures/report/exempt.txt
RICD=C0000000000001
cd "$TMP"
PORT=$((30000 + ($$ + 11) % 20000))
URL=http://127.0.0.1:$PORT
ING=$("$FANZHA" token create --role ingest --db s.db 2>/dev/null) || fail "token"
ANA=$("$FANZHA" token create --role analyst --name alice --db s.db 2>/dev/null) || fail "token"
SUP=$("$FANZHA" token create --role supervisor --name sue --db s.db 2>/dev/null) || fail "token"
"$FANZHA" serve --listen 127.0.0.1:$PORT --db s.db --ricd $RICD --exempt "$EXEMPT" --no-progress >serve.log 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 100); do curl -sf $URL/healthz >/dev/null && break; sleep 0.1; done
get() { curl -s -H "Authorization: Bearer $1" "$URL$2"; }
post() { curl -s -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$URL$2"; }

"$FANZHA" send --url 127.0.0.1:$PORT --token "$ING" --quiet "$DAY" || fail "send"

# the records, as the engine made them while scoring
get "$ANA" '/v1/reports/large-value?status=pending&from=2026-11-02&to=2026-11-02' > lv.json
expect_in lv.json '"customer":"P101"'
expect_in lv.json '"crcd":"0501"'
expect_in lv.json '"due_date":"2026-11-09"'
expect_in lv.json '"overdue":true'
N=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' lv.json)
[ "${N:-0}" -ge 5 ] || fail "expected the day's records, got $N"
get "$ANA" '/v1/reports/large-value?status=bogus' | grep -q '"field":"status"' || fail "bad status not named"
get "$ANA" '/v1/reports/large-value?from=11/02' | grep -q '"field":"from"' || fail "bad date not named"

# the board: the day's records are overdue now
get "$ANA" /v1/reports/deadlines > board.json
expect_in board.json '"report":"large_value","date":"2026-11-02"'
expect_in board.json "\"records\":$N"
grep -q '"by_day":\[{"large_value":[1-9]' board.json || fail "by_day: $(cat board.json)"

# making the files: supervisors only, the body's dates checked
post "$ANA" /v1/reports/large-value/files '{"from":"2026-11-02"}' | grep -q '"status":403' || fail "an analyst made files"
post "$SUP" /v1/reports/large-value/files '{}' | grep -q '"field":"from"' || fail "no from accepted"
post "$SUP" /v1/reports/large-value/files '{"from":"2026-11-02","to":"2026-10-01"}' | grep -q '"field":"to"' || fail "to before from accepted"
post "$SUP" /v1/reports/large-value/files '{"from":"2026-11-02"}' > made.json
expect_in made.json "\"records\":$N"
TODAY=$(TZ=Asia/Shanghai date +%Y%m%d)
X=NBH$RICD-$TODAY-00000001.XML
expect_in made.json "\"name\":\"$X\""
expect_in made.json "\"name\":\"NBH$RICD-$TODAY-00000001.ZIP\""
post "$SUP" /v1/reports/large-value/files '{"from":"2026-11-02"}' | grep -q '"status":409' || fail "the same records filed twice"
get "$ANA" '/v1/reports/large-value?status=pending&from=2026-11-02&to=2026-11-02' | grep -q '"total":0' || fail "records still pending"
get "$ANA" '/v1/reports/large-value?status=filed' | grep -q "\"file_name\":\"$X\"" || fail "records do not name their file"

# the files: list, download (validated), preview, the ZIP holds the XML
get "$ANA" /v1/reports/files > files.json
XID=$(sed -n "s/.*{\"id\":\([0-9]*\),\"name\":\"$X\".*/\1/p" files.json)
ZID=$(sed -n "s/.*{\"id\":\([0-9]*\),\"name\":\"NBH$RICD-$TODAY-00000001.ZIP\".*/\1/p" files.json)
[ -n "$XID" ] && [ -n "$ZID" ] || fail "files list: $(cat files.json)"
curl -s -D hdr.txt -H "Authorization: Bearer $ANA" "$URL/v1/reports/files/$XID" > "$X"
grep -qi '^content-type: application/xml' hdr.txt || fail "XML content type: $(cat hdr.txt)"
xmllint --noout --schema "$XSD" "$X" 2>xsd.err || { cat xsd.err; fail "$X does not validate"; }
expect_in "$X" '<HVTR>'
expect_in "$X" '<CSNM>P101</CSNM>'
grep -q 'R04\|R08' "$X" && fail "an exempt transaction was reported"
get "$ANA" "/v1/reports/files/$XID/preview" | grep -q '"text":"<?xml version=\\"1.0\\" encoding=\\"UTF-8\\"?>\\n<HVTR>' || fail "preview"
get "$ANA" "/v1/reports/files/$ZID/preview" | grep -q '"status":409' || fail "a ZIP previewed"
get "$ANA" /v1/reports/files/999 | grep -q '"status":404' || fail "unknown file"
curl -s -H "Authorization: Bearer $ANA" "$URL/v1/reports/files/$ZID" > b.zip
mkdir unz && (cd unz && unzip -q ../b.zip) || fail "unzip"
cmp "unz/$X" "$X" || fail "the ZIP's XML differs from the XML file"

# one pipeline: the CLI makes the same file of the same day (same exemptions; no home bank, as the server)
"$FANZHA" report large-value --ricd $RICD --exempt "$EXEMPT" --date "$(TZ=Asia/Shanghai date +%Y-%m-%d)" -o cli "$DAY" > cli.out 2>&1 || fail "report: $(cat cli.out)"
cmp "cli/$X" "$X" || { diff "cli/$X" "$X" | head -20; fail "the server's file differs from the CLI's"; }

kill $SPID; wait $SPID 2>/dev/null
"$FANZHA" audit verify --db s.db > verify.txt || fail "audit verify: $(cat verify.txt)"
[ "$(sqlite3 s.db "SELECT count(*) FROM audit WHERE action = 'report.large_value.files' AND actor = 'sue'")" -eq 1 ] || fail "no audit entry"
echo "reports: $N records, $X made, validated, same as the CLI's, audit intact"
