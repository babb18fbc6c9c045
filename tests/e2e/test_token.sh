# fanzha token: create prints one token line, list never shows a secret,
# revoke marks the row; bad input exits 2 with a message.
. tests/e2e/lib.sh
DB="$TMP/fz.db"
"$FANZHA" token create --role analyst --name wang.li --db "$DB" > "$TMP/t1" 2> "$TMP/e1" || fail "create analyst"
[ "$(wc -l < "$TMP/t1")" -eq 1 ] || fail "create prints one line"
grep -qE '^fz_[A-Za-z0-9_-]{43}$' "$TMP/t1" || fail "token format: $(cat "$TMP/t1")"
"$FANZHA" token create --role admin --db "$DB" > "$TMP/t2" 2> /dev/null || fail "create admin"
cmp -s "$TMP/t1" "$TMP/t2" && fail "two tokens alike"

"$FANZHA" token list --db "$DB" > "$TMP/list" || fail "list"
expect_in "$TMP/list" "wang.li"
expect_in "$TMP/list" "analyst"
grep -q '^2 .* admin ' "$TMP/list" || fail "admin token named by its role: $(cat "$TMP/list")"
grep -qF "$(cut -c4-20 "$TMP/t1")" "$TMP/list" && fail "list shows a secret"
cat "$DB"* | grep -qaF "$(cut -c4-20 "$TMP/t1")" && fail "the store holds a secret"

"$FANZHA" token revoke 1 --db "$DB" || fail "revoke"
"$FANZHA" token list --db "$DB" > "$TMP/list2" || fail "list after revoke"
grep '^1 ' "$TMP/list2" | grep -qE 'Z +[0-9]{4}-[0-9]{2}-[0-9]{2}T' || fail "revoked time: $(cat "$TMP/list2")"
grep '^2 ' "$TMP/list2" | grep -qE ' -$' || fail "token 2 still live"

"$FANZHA" token revoke 42 --db "$DB" 2> "$TMP/e3" && fail "revoked an unknown id"
expect_in "$TMP/e3" "no token 42"
"$FANZHA" token create --role boss --db "$DB" 2> "$TMP/e4" > /dev/null
[ $? -eq 2 ] || fail "bad role: want exit 2"
expect_in "$TMP/e4" "--role"
"$FANZHA" token create --db "$DB" 2> /dev/null > /dev/null; [ $? -eq 2 ] || fail "create without a role: not a usage error"
"$FANZHA" token frob 2> /dev/null; [ $? -eq 2 ] || fail "unknown action: not a usage error"
echo ok
