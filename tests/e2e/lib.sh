# Shared by the end-to-end tests: FANZHA is the binary under test (set by
# tests/run.sh); each test runs from the repository root in its own temp dir.
set -u
FANZHA=${FANZHA:-build/release/fanzha}
case "$FANZHA" in /*) ;; *) FANZHA="$PWD/$FANZHA" ;; esac
ROOT=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# expect_in FILE TEXT: FILE contains the line fragment TEXT
expect_in() { grep -qF -- "$2" "$1" || fail "$1 lacks: $2"; }
