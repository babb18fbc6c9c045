# Bad input gets a clear message naming file, line and field, and exit 2.
. tests/e2e/lib.sh
printf 'pack "p" version "1"\nrule "R" {\n  when amount >= 5 yuan\n}\n' > "$TMP/bad.rules"
"$FANZHA" scan --no-progress -r "$TMP/bad.rules" --out "$TMP/o" tests/fixtures/scan/small.csv 2> "$TMP/err" > /dev/null
[ $? -eq 2 ] || fail "bad rules: want exit 2"
expect_in "$TMP/err" "bad.rules:3:"
"$FANZHA" rules check "$TMP/bad.rules" 2> "$TMP/err2" > /dev/null && fail "rules check accepted a bad pack"
expect_in "$TMP/err2" "bad.rules:3:"
"$FANZHA" scan --no-progress --out "$TMP/o" "$TMP/none.csv" 2> "$TMP/err3" > /dev/null
[ $? -eq 2 ] || fail "missing file: want exit 2"
expect_in "$TMP/err3" "none.csv"
printf 'what,is,this\n1,2,3\n' > "$TMP/odd.csv"
"$FANZHA" scan --no-progress --out "$TMP/o" "$TMP/odd.csv" 2> "$TMP/err4" > /dev/null
[ $? -eq 2 ] || fail "unknown header: want exit 2"
expect_in "$TMP/err4" "odd.csv"
for opt in --rate --limit --burst; do
    "$FANZHA" send "$opt" 10x tests/fixtures/scan/small.csv 2> "$TMP/err5" > /dev/null
    [ $? -eq 2 ] || fail "send $opt 10x: want exit 2"
    expect_in "$TMP/err5" "$opt: '10x'"
done
"$FANZHA" frobnicate 2> /dev/null && fail "unknown command accepted"
"$FANZHA" rules check > "$TMP/packs" || fail "shipped packs do not compile"
expect_in "$TMP/packs" "LV-0501-CNY"
echo ok
