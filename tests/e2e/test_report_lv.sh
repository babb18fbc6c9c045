# fanzha report large-value: the CAMLMAC large-value files of hand-written
# days, each checked by hand against the spec (../shared/reference/CAMLMAC-
# report-interface-spec-v1.0-2017.txt §3.1, §4.3.1, §5.3.1, §6) and
# DOMAIN.md §1; every file made is validated against schemas/camlmac.xsd.
#   day.csv      cash in and out of one customer on one day (one HTCR, two
#                TSDTs); a cash remittance abroad hitting 0501 and 0504 (one
#                TICD under both); two exempt transactions (by the exemptions
#                file and by the exempt column) making nothing; a transfer
#                between two of the bank's customers (TICD with the side);
#                a USD deposit; a customer number that needs escaping
#   holiday.csv  deadlines across Mid-Autumn and National Day 2026 (make-up
#                Saturday 2026-10-10 counts): overdue, due today, due later
. tests/e2e/lib.sh
F=tests/fixtures/report
XSD=schemas/camlmac.xsd
command -v xmllint >/dev/null || fail "xmllint missing (apt-get install libxml2-utils)"
RICD=C0000000000001
validate() { for x in "$@"; do xmllint --noout --schema "$XSD" "$x" 2>"$TMP/xsd.err" || { cat "$TMP/xsd.err"; fail "$x does not validate"; }; done; }
bytes_off() { sed 's/, [0-9]* bytes$//' "$1"; }

# --- a day: new reports (N)
"$FANZHA" report large-value --ricd $RICD --date 2026-11-03 --bank FZB --exempt $F/exempt.txt -o "$TMP/day" $F/day.csv > "$TMP/day.out" 2>"$TMP/day.err" || fail "report day.csv exited $?"
bytes_off "$TMP/day.out" | diff -u $F/expected/day.stdout - || fail "day stdout differs"
N=NBH${RICD}-20261103-00000001
diff -u $F/expected/$N.XML "$TMP/day/$N.XML" || fail "$N.XML differs from the golden file"
validate "$TMP"/day/*.XML
# the ZIP holds exactly the XML, byte for byte
( cd "$TMP" && mkdir unz && cd unz && unzip -q "../day/$N.ZIP" ) || fail "unzip $N.ZIP"
[ "$(ls "$TMP/unz")" = "$N.XML" ] || fail "ZIP should hold $N.XML only"
cmp "$TMP/unz/$N.XML" "$TMP/day/$N.XML" || fail "ZIP content differs"
# two thresholds: one TICD under 0501 and under 0504; exempt R04 and R08 nowhere
[ "$(grep -c '<TICD>R03</TICD>' "$TMP/day/$N.XML")" -eq 2 ] || fail "R03 should be reported under two CRCDs"
grep -q 'R04\|R08\|P108' "$TMP/day/$N.XML" && fail "an exempt transaction was reported"
expect_in "$TMP/day/$N.XML" '<CSNM>K&amp;&lt;105&gt;</CSNM>'

# --- corrections (C) and deletions (D) of the same records
"$FANZHA" report large-value --ricd $RICD --date 2026-11-05 --kind C --seq 3 --bank FZB --exempt $F/exempt.txt -o "$TMP/c" $F/day.csv > /dev/null 2>&1 || fail "--kind C"
[ -f "$TMP/c/CBH${RICD}-20261105-00000003.XML" ] || fail "correction file name"
[ -f "$TMP/c/CBH${RICD}-20261105-00000001.ZIP" ] || fail "correction bundle name"
expect_in "$TMP/c/CBH${RICD}-20261105-00000003.XML" '<OTIC>R05-02</OTIC>'
expect_in "$TMP/c/CBH${RICD}-20261105-00000003.XML" '<TSTN>8</TSTN>'
"$FANZHA" report large-value --ricd $RICD --date 2026-11-05 --kind D --bank FZB --exempt $F/exempt.txt -o "$TMP/d" $F/day.csv > /dev/null 2>&1 || fail "--kind D"
expect_in "$TMP/d/DBH${RICD}-20261105-00000001.XML" '<DTTN>8</DTTN>'
"$FANZHA" report large-value --ricd $RICD --date 2026-11-05 --kind D --delete-day 2026-11-02 --seq 2 -o "$TMP/d" > /dev/null || fail "--delete-day"
expect_in "$TMP/d/DBH${RICD}-20261105-00000002.XML" '<DTTN>@N</DTTN>'
validate "$TMP"/c/*.XML "$TMP"/d/*.XML

# --- the deadline board across National Day (make-up Saturday counted)
"$FANZHA" report large-value --ricd $RICD --date 2026-10-09 --seq 7 --bank FZB -o "$TMP/hol" $F/holiday.csv > "$TMP/hol.out" 2>&1 || fail "report holiday.csv"
bytes_off "$TMP/hol.out" | diff -u $F/expected/holiday.stdout - || fail "holiday stdout differs"
diff -u $F/expected/NBH${RICD}-20261009-00000007.XML "$TMP/hol/NBH${RICD}-20261009-00000007.XML" || fail "holiday XML differs"
validate "$TMP"/hol/*.XML

# --- splitting: small XML and ZIP limits make several files, numbered in order, all valid
"$FANZHA" report large-value --ricd $RICD --date 2026-11-03 --bank FZB --max-xml 3000 --max-zip 2500 -o "$TMP/split" $F/day.csv > "$TMP/split.out" 2>&1 || fail "split"
nx=$(ls "$TMP"/split/*.XML | wc -l); nz=$(ls "$TMP"/split/*.ZIP | wc -l)
[ "$nx" -gt 2 ] && [ "$nz" -gt 1 ] || fail "want several XML ($nx) and ZIP ($nz) files"
[ -f "$TMP/split/NBH${RICD}-20261103-0000000$nx.XML" ] || fail "XML sequence not 1..$nx"
for z in "$TMP"/split/*.ZIP; do [ "$(stat -c %s "$z")" -le 2500 ] || fail "$z over the limit"; unzip -tq "$z" >/dev/null || fail "$z broken"; done
validate "$TMP"/split/*.XML

# --- errors name the field or file:line
"$FANZHA" report large-value --ricd SHORT $F/day.csv 2> "$TMP/err" && fail "short RICD accepted"
expect_in "$TMP/err" "RICD: 'SHORT' is not a 14-character institution code"
printf 'years 2026 2026\noff 2026-13-01\n' > "$TMP/cal.txt"
"$FANZHA" report large-value --ricd $RICD --calendar "$TMP/cal.txt" $F/day.csv 2> "$TMP/err" && fail "bad calendar accepted"
expect_in "$TMP/err" "cal.txt:2: date: not a date YYYY-MM-DD: '2026-13-01'"
printf '3 acount X\n' > "$TMP/ex.txt"
"$FANZHA" report large-value --ricd $RICD --exempt "$TMP/ex.txt" $F/day.csv 2> "$TMP/err" && fail "bad exemptions accepted"
expect_in "$TMP/err" "ex.txt:1: match: want account, customer or same-customer"
echo ok
