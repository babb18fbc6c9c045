# The labelled data nobody on this team wrote (../shared/data, read-only):
# the small AMLSim set reads with zero rejects and gets a metrics table.
. tests/e2e/lib.sh
D=../shared/data
[ -d "$D" ] || { echo "skip: no $D"; exit 0; }
"$FANZHA" scan --no-progress --out "$TMP/o" "$D/amlsim-12k/transactions.csv.gz" > "$TMP/s" || fail "amlsim-12k"
expect_in "$TMP/s" "rows        200084 scored, 0 rejected"
expect_in "$TMP/s" "detection, test split (last 20% of rows by time)"
expect_in "$TMP/s" "fan_in"
"$FANZHA" scan --no-progress --out "$TMP/o" "$D/ibm-amlworld-patterns/LI-Medium_Patterns.txt.gz" > "$TMP/p" || fail "LI patterns"
expect_in "$TMP/p" "rows        3909 scored, 0 rejected"
# with the pattern pack, each laundering attempt is found by a pattern rule or not
"$FANZHA" scan --no-progress --graph-window 30d --cycle-any-order --cycle-len 13 -r rules/pboc-large-value.rules \
    -r rules/typologies.rules -r rules/limits.rules -r rules/patterns.rules --out "$TMP/o" \
    "$D/ibm-amlworld-patterns/LI-Medium_Patterns.txt.gz" > "$TMP/pp" || fail "LI patterns with patterns.rules"
expect_in "$TMP/pp" "labelled attempts (groups) found"
grep -Eq '^  CYCLE +46 +46 +100.0%' "$TMP/pp" || fail "every LI cycle attempt should be found: $(grep CYCLE "$TMP/pp")"
# fanzha eval on the small AMLSim set: it trains, thresholds and tests, and
# its model then scores in fanzha scan, each model alert with its reasons
"$FANZHA" eval --no-progress --rounds 20 --depth 4 --graph-window 30d --cycle-any-order --json \
    --model-out "$TMP/m.model" "$D/amlsim-12k/transactions.csv.gz" > "$TMP/eval.json" || fail "eval"
expect_in "$TMP/eval.json" '"rows":200084,"train_rows":120050,"valid_rows":40017,"test_rows":40017'
f1=$(sed 's/.*"model":{"precision":[0-9.]*,"recall":[0-9.]*,"f1":\([0-9.]*\).*/\1/' "$TMP/eval.json")
awk "BEGIN { exit !($f1 > 0.30) }" || fail "model F1 on amlsim-12k only $f1"
"$FANZHA" scan --no-progress --graph-window 30d --cycle-any-order --model "$TMP/m.model" --out "$TMP/om" \
    "$D/amlsim-12k/transactions.csv.gz" > /dev/null || fail "scan --model"
expect_in "$TMP/om/alerts.jsonl" '{"rule":"MODEL","p":'
expect_in "$TMP/om/alerts.jsonl" '"features":[{"name":'
# fanzha train needs -o, and writes the model there
"$FANZHA" train --no-progress --rounds 5 "$D/amlsim-12k/transactions.csv.gz" > /dev/null 2>&1 && fail "train without -o"
"$FANZHA" train --no-progress --rounds 5 -o "$TMP/t.model" "$D/amlsim-12k/transactions.csv.gz" > /dev/null || fail "train"
expect_in "$TMP/t.model" '"format":"fanzha-model"'
echo ok
