#!/bin/sh
# Every test: unit tests built with gcc and with clang under ASan + UBSan,
# the end-to-end CLI tests, and a short run of every fuzz target.
# Prints "N passed, N failed" last; exits non-zero when anything failed.
cd "$(dirname "$0")/.." || exit 2
JOBS=$(nproc 2>/dev/null || echo 2)
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
pass=0
fail=0
failed=""
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); failed="$failed\n  $1"; echo "FAIL: $1"; }

build() {
    echo "== build $1"
    if make -s -j"$JOBS" MODE="$1" $2 >build-$1.log 2>&1; then ok; rm -f build-$1.log
    else ko "build MODE=$1 (see build-$1.log)"; cat build-$1.log | tail -30; return 1; fi
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)"
unit() {
    for t in build/$1/tests/test_*; do
        [ -x "$t" ] || continue
        out=$("$t" 2>&1); rc=$?
        p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
        f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
        pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
        if [ "$rc" -ne 0 ] || [ -n "$f" ]; then
            printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Sanitizer|runtime error' | head -20
            [ -n "$f" ] || fail=$((fail + 1))
            failed="$failed\n  $1 $(basename "$t")"
        fi
        echo "   $1 $(basename "$t"): ${p:-0} passed, ${f:-0} failed"
    done
}

e2e() {
    for t in tests/e2e/test_*.sh; do
        [ -f "$t" ] || continue
        if FANZHA="$PWD/build/$1/fanzha" sh "$t" >"build/$1/$(basename "$t").log" 2>&1; then ok; echo "   e2e $(basename "$t"): ok"
        else ko "e2e $(basename "$t") ($1)"; tail -20 "build/$1/$(basename "$t").log"; fi
    done
}

# The web UI in headless chromium against a real `fanzha serve` (tests/browser/run.sh
# prints one line per check and "N passed, N failed").
browser() {
    out=$(FANZHA="$PWD/build/$1/fanzha" sh tests/browser/run.sh 2>&1); rc=$?
    printf '%s\n' "$out" | grep -E '^(ok|FAIL) - ' | sed 's/^/   browser: /'
    p=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -1)
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
    if [ "$rc" -ne 0 ]; then
        [ -n "$f" ] && [ "$f" -gt 0 ] || fail=$((fail + 1))
        failed="$failed\n  browser tests"; printf '%s\n' "$out" | grep -v '^ok - ' | tail -20
    fi
}

fuzz() {
    for f in build/fuzz/fuzz/fuzz_*; do
        [ -x "$f" ] || continue
        name=$(basename "$f")
        corpus=tests/fuzz/corpus/${name#fuzz_}
        work=$(mktemp -d)
        [ -d "$corpus" ] && cp "$corpus"/* "$work"/ 2>/dev/null
        [ "$name" = fuzz_rules ] && cp rules/*.rules "$work"/ # the shipped packs are the best seeds
        if "$f" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -print_final_stats=0 "$work" >"build/fuzz/$name.log" 2>&1; then
            ok; echo "   fuzz $name: ${FUZZ_SECONDS}s clean"
        else ko "fuzz $name (build/fuzz/$name.log)"; tail -30 "build/fuzz/$name.log"; fi
        rm -rf "$work"
    done
}

build release tests && { unit release; e2e release; browser release; }
build san tests && { unit san; e2e san; }
build clang all
build fuzz fuzzers && fuzz

echo
[ "$fail" -eq 0 ] || printf "failed:$failed\n"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
