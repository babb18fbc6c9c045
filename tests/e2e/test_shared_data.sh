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
echo ok
