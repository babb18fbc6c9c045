# fanzha scan on a hand-written day: alerts, large-value records and rejects
# must equal the goldens in tests/fixtures/scan/expected/ (each checked by
# hand against DOMAIN.md §1: 49,999.99 vs 50,000.00, accumulation, the
# Shanghai midnight, in and out apart, two thresholds, USD, --bank).
. tests/e2e/lib.sh
F=tests/fixtures/scan
"$FANZHA" scan --no-progress --bank FZB --out "$TMP/out" "$F/small.csv" > "$TMP/stdout" || fail "scan exited $?"
diff -u "$F/expected/alerts.csv" "$TMP/out/alerts.csv" || fail "alerts.csv differs"
diff -u "$F/expected/large_value.csv" "$TMP/out/large_value.csv" || fail "large_value.csv differs"
sed 's|^[^\t]*small.csv|small.csv|' "$TMP/out/rejects.txt" | diff -u "$F/expected/rejects.txt" - || fail "rejects differ"
expect_in "$TMP/stdout" "rows        13 scored, 1 rejected"
expect_in "$TMP/stdout" "large-value 7 records"
# every alert also in the JSON lines, with reasons in both languages
[ "$(wc -l < "$TMP/out/alerts.jsonl")" -eq 4 ] || fail "alerts.jsonl should have 4 lines"
expect_in "$TMP/out/alerts.jsonl" '"rule":"TY-FREQ-DAY","side":"payer"'
expect_in "$TMP/out/alerts.jsonl" '"zh":"网上/手机银行单笔转出超过20万元限额"'
# --json: one object with the counts
"$FANZHA" scan --no-progress --json --bank FZB --out "$TMP/out2" "$F/small.csv" > "$TMP/json" || fail "scan --json"
[ "$(wc -l < "$TMP/json")" -eq 1 ] || fail "--json prints one line"
expect_in "$TMP/json" '"rows":13,"rejects":1,"alerts":4,"large_value_records":7'
expect_in "$TMP/json" '"decisions":{"allow":11,"verify":1,"hold":1,"block":0}'
# --grades: a high-grade customer gets the tighter online limit
printf 'customer,grade\nP012,high\n' > "$TMP/grades.csv"
"$FANZHA" scan --no-progress --bank FZB --grades "$TMP/grades.csv" --out "$TMP/out4" "$F/small.csv" > /dev/null || fail "scan --grades"
expect_in "$TMP/out4/alerts.csv" "T07,2026-11-02T04:00:00.000Z,6222000000000012,6222000000000013,250000.00,CNY,hold,1000,LIM-ONLINE-SINGLE-HIGH@payer|LIM-ONLINE-DAILY-HIGH@payer"
# an exempt transaction (DOMAIN.md §1 exemptions, column exempt) makes no record
printf 'id,time,payer_acct,payee_acct,payee_bank,amount,kind,exempt\nX1,2026-11-02T10:00:00+08:00,,A,FZB,60000.00,cash_deposit,1\nX2,2026-11-02T10:00:00+08:00,,B,FZB,60000.00,cash_deposit,0\n' > "$TMP/exempt.csv"
"$FANZHA" scan --no-progress --out "$TMP/out5" "$TMP/exempt.csv" > /dev/null || fail "scan exempt.csv"
[ "$(wc -l < "$TMP/out5/large_value.csv")" -eq 2 ] || fail "exempt: want one record"
expect_in "$TMP/out5/large_value.csv" "B@FZB,2026-11-02,0501,in,CNY,60000.00,1,X2"
# --strict stops at the bad row with exit 1 and names file, line and field
"$FANZHA" scan --no-progress --strict --out "$TMP/out3" "$F/small.csv" > /dev/null 2> "$TMP/err"
rc=$?
[ "$rc" -eq 1 ] || fail "--strict exit $rc, want 1"
expect_in "$TMP/err" "small.csv:11: amount: not a decimal amount"
echo ok
