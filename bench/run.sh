#!/bin/sh
# The benchmarks, each with its baseline in the same run (make bench).
#   1. bench_engine: engine on pre-parsed rows vs a naive history-walking engine
#   2. end-to-end `fanzha scan` from plain CSV and from .gz vs the I/O floor
#      (cat and zcat of the same file to /dev/null)
#   3. bench_full: the engine with graph patterns and a tree model vs without
#   4. bench_grading: grading every customer of amlsim-96k's accounts (imported
#      as customers) in one pass vs one customer at a time
set -e
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/amlsim-96k/transactions.csv.gz}
B=build/release
[ -f "$DATA" ] || { echo "bench: $DATA not found (needs ../shared/data)"; exit 2; }
echo "machine      $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "== engine on pre-parsed transactions"
$B/bench/bench_engine "$DATA"

PLAIN=${TMPDIR:-/tmp}/fanzha-bench.csv
zcat "$DATA" > "$PLAIN"
rows=$(($(wc -l < "$PLAIN") - 1))
secs() { s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
best() { b=999999; for i in 1 2 3; do t=$(secs "$@"); b=$(echo "if ($t < $b) $t else $b" | bc -l); done; echo "$b"; }
echo "== end-to-end scan, $rows rows (best of 3)"
t_cat=$(best cat "$PLAIN")
t_zcat=$(best zcat "$DATA")
t_csv=$(best $B/fanzha scan --no-progress --json --out "${TMPDIR:-/tmp}/fanzha-bench-out" "$PLAIN")
t_gz=$(best $B/fanzha scan --no-progress --json --out "${TMPDIR:-/tmp}/fanzha-bench-out" "$DATA")
printf "io floor     cat  %.3f s (%.0f rows/s)   zcat %.3f s (%.0f rows/s)\n" "$t_cat" "$(echo "$rows / $t_cat" | bc -l)" "$t_zcat" "$(echo "$rows / $t_zcat" | bc -l)"
printf "scan csv     %.3f s, %.0f rows/s  (%.1fx the cat floor's time)\n" "$t_csv" "$(echo "$rows / $t_csv" | bc -l)" "$(echo "$t_csv / $t_cat" | bc -l)"
printf "scan gz      %.3f s, %.0f rows/s  (%.1fx the zcat floor's time)\n" "$t_gz" "$(echo "$rows / $t_gz" | bc -l)" "$(echo "$t_gz / $t_zcat" | bc -l)"
rm -f "$PLAIN"

echo "== full engine: graph patterns and tree model vs without (model trained first by fanzha eval)"
MODEL=${TMPDIR:-/tmp}/fanzha-bench.model
$B/fanzha eval --no-progress --graph-window 30d --cycle-any-order --model-out "$MODEL" "$DATA" | sed -n '1,6p'
$B/bench/bench_full "$DATA" "$MODEL" 30d any
rm -f "$MODEL"

echo "== customer risk grading: amlsim-96k accounts imported as customers"
$B/bench/bench_grading "$(dirname "$DATA")/accounts.csv.gz"

echo "== decisions over HTTP with persistence on (bench/bench_http.sh)"
sh bench/bench_http.sh 10 3
