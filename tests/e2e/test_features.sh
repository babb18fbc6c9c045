# fanzha features: a named, versioned vector per row; the graph features see
# a circle of payments only when it closes, and nothing from the future.
. tests/e2e/lib.sh
cat > "$TMP/circle.csv" <<'CSV'
id,time,payer_acct,payee_acct,amount,channel,label,typology
R1,2026-11-02T10:00:00+08:00,A,B,1000.00,online,1,cycle
R2,2026-11-02T10:05:00+08:00,B,C,990.00,online,1,cycle
R3,2026-11-02T10:09:00+08:00,C,A,980.00,online,1,cycle
R4,2026-11-02T11:00:00+08:00,D,E,500.00,online,0,
CSV
"$FANZHA" features --no-progress -o "$TMP/f.csv" "$TMP/circle.csv" > "$TMP/out" || fail "features"
expect_in "$TMP/out" "4 rows, 0 rejected"
head -1 "$TMP/f.csv" | grep -qx '# fz-features-1' || fail "version line"
header=$(sed -n 2p "$TMP/f.csv")
col() { echo "$header" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
c=$(col graph.cycle_len); p=$(col graph.pass_through)
[ -n "$c" ] && [ -n "$p" ] || fail "graph columns missing"
val() { grep "^$1," "$TMP/f.csv" | cut -d, -f"$2"; }
[ "$(val R1 "$c")" = 0 ] || fail "R1 closes no cycle"
[ "$(val R2 "$c")" = 0 ] || fail "R2 closes no cycle"
[ "$(val R3 "$c")" = 3 ] || fail "R3 closes A -> B -> C -> A: $(val R3 "$c")"
[ "$(val R2 "$p")" = 1 ] || fail "R2 passes on R1's 1000 (990 within 10%)"
[ "$(val R1 "$p")" = 0 ] || fail "R1 passes nothing on"
[ "$(val R4 "$c")" = 0 ] || fail "R4"
expect_in "$TMP/f.csv" "R1,1,cycle,1000,"
echo ok
