# fanzha customers: import a customer CSV (good rows in, bad rows named
# file:line: field: reason and counted, --strict imports nothing and exits
# 1), grade them, list the due list; bad usage exits 2.
. tests/e2e/lib.sh
DB="$TMP/fz.db"
CSV="$TMP/customers.csv"
cat > "$CSV" <<'CSV'
id,kind,name,id_type,id_number,nationality,occupation,pep,cdd,owners
C1,natural,张三,resident_id,11010519491231002X,CN,clerk,none,done,
C2,natural,李四,resident_id,110105194912310021,CN,clerk,none,done,
C3,entity,"Acme, Ltd",uscc,91350100M000100Y43,CN,,none,done,"[{""role"":""controller"",""name"":""Ivan Petrov""}]"
C4,natural,John Smith,passport,P1234567,GB,professional,foreign,done,
C5,natural,Refuser,,,CN,,none,refused,
C6,natural,Bad Date,,,CN,,none,done,,extra
CSV

"$FANZHA" customers import "$CSV" --db "$DB" --strict > "$TMP/o0" 2> "$TMP/e0"
[ $? -eq 1 ] || fail "strict: want exit 1"
expect_in "$TMP/o0" "nothing imported"
"$FANZHA" customers import "$CSV" --db "$DB" > "$TMP/o1" 2> "$TMP/e1" || fail "import"
expect_in "$TMP/o1" "6 rows, 4 imported, 2 rejected"
expect_in "$TMP/e1" "customers.csv:3: id_number: the check character is wrong (GB 11643)"
expect_in "$TMP/e1" "customers.csv:7: 11 fields, the header has 10"
"$FANZHA" customers import "$CSV" --db "$DB" --rejects "$TMP/rej" > "$TMP/o2" 2> "$TMP/e2" || fail "import again"
expect_in "$TMP/o2" "0 imported, 6 rejected"
expect_in "$TMP/rej" "customers.csv:2: id: a customer C1 exists already"
[ -s "$TMP/e2" ] && fail "rejects went to stderr with --rejects"

"$FANZHA" customers due --db "$DB" > "$TMP/d0" || fail "due"
expect_in "$TMP/d0" "0 due"
"$FANZHA" customers due --db "$DB" --until 2099-01-01T00:00:00+08:00 > "$TMP/d1" || fail "due later"
expect_in "$TMP/d1" "C1	low	"
expect_in "$TMP/d1" "onboarding"
"$FANZHA" customers grade --db "$DB" > "$TMP/g1" || fail "grade"
expect_in "$TMP/g1" "graded 4 customers"
expect_in "$TMP/g1" "2 highest by a direct trigger"
"$FANZHA" customers grade --db "$DB" > "$TMP/g2" || fail "grade again"
expect_in "$TMP/g2" "graded 0 customers"
"$FANZHA" customers due --db "$DB" --until 2099-01-01T00:00:00+08:00 > "$TMP/d2" || fail "due after"
expect_in "$TMP/d2" "C4	highest	"
expect_in "$TMP/d2" "C5	highest	"
expect_in "$TMP/d2" "review"
"$FANZHA" audit verify --db "$DB" > /dev/null || fail "audit chain"

"$FANZHA" customers import "$TMP/none.csv" --db "$DB" 2> "$TMP/e3" > /dev/null
[ $? -eq 2 ] || fail "missing file: want exit 2"
printf 'id,colour\nC9,red\n' > "$TMP/bad.csv"
"$FANZHA" customers import "$TMP/bad.csv" --db "$DB" 2> "$TMP/e4" > /dev/null
[ $? -eq 2 ] || fail "bad header: want exit 2"
expect_in "$TMP/e4" "bad.csv:1: colour: is not a customer field"
"$FANZHA" customers grade --db "$TMP/absent.db" 2> /dev/null && fail "grade without a store"
"$FANZHA" customers due --db "$DB" --limit ten 2> "$TMP/e5" > /dev/null
[ $? -eq 2 ] || fail "bad --limit: want exit 2"
expect_in "$TMP/e5" "--limit"
"$FANZHA" customers frob 2> /dev/null
[ $? -eq 2 ] || fail "unknown action: want exit 2"
echo ok
