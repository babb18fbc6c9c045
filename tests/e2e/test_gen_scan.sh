# fanzha gen makes a labelled day; scanning it finds the injected cases and
# makes the large-value records, and the same seed gives the same file.
. tests/e2e/lib.sh
"$FANZHA" gen --seed 3 --customers 1000 -o "$TMP/a.csv" 2> /dev/null || fail "gen"
"$FANZHA" gen --seed 3 --customers 1000 -o "$TMP/b.csv" 2> /dev/null || fail "gen again"
cmp -s "$TMP/a.csv" "$TMP/b.csv" || fail "same seed, different output"
"$FANZHA" scan --no-progress --json --bank FZB --out "$TMP/out" "$TMP/a.csv" > "$TMP/json" || fail "scan"
expect_in "$TMP/json" '"rejects":0'
# every injected 50,000.00 cash row has a large-value record; no 49,999.99 row alone does
awk -F, '$11 == "50000.00" && $14 ~ /^cash_/ {print $1}' "$TMP/a.csv" > "$TMP/exact"
[ -s "$TMP/exact" ] || fail "gen made no 50,000.00 cash row"
while read -r id; do grep -q "$id" "$TMP/out/large_value.csv" || fail "no record for $id"; done < "$TMP/exact"
# detection on the injected cases: the safe-account drains are all found
expect_in "$TMP/json" '"safe_account":{"positives":'
safe=$(sed 's/.*"all":{[^}]*"typologies":{//' "$TMP/json" | grep -o '"safe_account":{[^}]*}' | head -1)
case "$safe" in *'"recall":1.000000'*) ;; *) fail "safe_account recall: $safe" ;; esac
echo ok
