# fanzha audit verify: exit 0 on an intact chain, 1 naming the first bad
# entry, 2 for a missing store or bad usage. The chain is written here with
# the sqlite3 shell and sha256sum from the layout fz_audit.h documents, so
# the documented format is checked by a second implementation.
. tests/e2e/lib.sh
DB="$TMP/fanzha.db"
"$FANZHA" audit verify --db "$TMP/none.db" 2> "$TMP/err" && fail "missing store accepted"
expect_in "$TMP/err" "none.db"
"$FANZHA" audit check 2> /dev/null; [ $? -eq 2 ] || fail "bad usage: want exit 2"
: > "$DB" # an empty file is an empty SQLite store; opening it creates the schema
"$FANZHA" audit verify --db "$DB" > "$TMP/out" || fail "empty chain does not verify"
expect_in "$TMP/out" "audit: 0 entries, chain intact"
if ! command -v sqlite3 > /dev/null || ! command -v sha256sum > /dev/null; then
    echo "ok (tamper checks skipped: no sqlite3 shell or sha256sum)"
    exit 0
fi
# Bytes from hex (dash's printf has octal escapes, not \x).
hex2bin() { h=$1; while [ -n "$h" ]; do b=${h%"${h#??}"}; h=${h#??}; printf "\\$(printf %03o "0x$b")"; done; }
be64() { printf '\000\000\000\000\000\000\000'; printf "\\$(printf %03o "$1")"; } # n < 256
field() { printf '\000\000\000'; printf "\\$(printf %03o "${#1}")"; printf %s "$1"; } # ASCII, < 256 bytes
# hash SEQ PREV: entry SEQ at_ms SEQ by ann (analyst), case.comment on case:SEQ, detail {}
hash() {
    { hex2bin "$2"; be64 "$1"; be64 "$1"; field ann; field analyst; field case.comment; field "case:$1"; field '{}'; } |
        sha256sum | cut -c1-64
}
i=0
z=0000000000000000000000000000000000000000000000000000000000000000
h1=$(hash 1 $z); h2=$(hash 2 "$h1"); h3=$(hash 3 "$h2")
p=$z
for h in "$h1" "$h2" "$h3"; do
    i=$((i + 1))
    sqlite3 "$DB" "INSERT INTO audit VALUES($i, $i, 'ann', 'analyst', 'case.comment', 'case:$i', '{}', X'$p', X'$h')" ||
        fail "sqlite3 insert"
    p=$h
done
"$FANZHA" audit verify --db "$DB" > "$TMP/out" || { cat "$TMP/out"; fail "a chain written to the documented layout does not verify"; }
expect_in "$TMP/out" "audit: 3 entries, chain intact"
expect_in "$TMP/out" "head: entry 3 sha256 $h3"
sqlite3 "$DB" "UPDATE audit SET detail = '{\"n\":1}' WHERE seq = 2"
"$FANZHA" audit verify --db "$DB" > "$TMP/out"; rc=$?
[ $rc -eq 1 ] || fail "edited detail: want exit 1, got $rc"
expect_in "$TMP/out" "audit: entry 2: hash does not match"
sqlite3 "$DB" "UPDATE audit SET detail = '{}' WHERE seq = 2; DELETE FROM audit WHERE seq = 2"
"$FANZHA" audit verify --db "$DB" > "$TMP/out"; rc=$?
[ $rc -eq 1 ] || fail "deleted entry: want exit 1, got $rc"
expect_in "$TMP/out" "audit: entry 3: prev is not the hash of entry 1"
echo ok
