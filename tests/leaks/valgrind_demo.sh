#!/bin/sh
# valgrind memcheck over a full demo cycle (scripts/demo.lua --cycles 1: the bot against the
# simulator opens a hedge on the best pair, holds it 24 simulated hours, closes it and stops):
# the cycle completes, no invalid access, and 0 bytes definitely lost.
# Runs in a scratch directory (links to scripts/ and tests/, a copy of .env.example), so the
# demo's demo/ folder and database never touch the working tree. About 40 s.
set -u
case "${TEST_BUILD:-}" in
  *asan*) echo "1..0 # SKIP valgrind cannot run an AddressSanitizer build"; exit 0 ;;
esac
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind is not installed (make deps installs it)"; exit 0; }
command -v node >/dev/null || { echo "1..0 # SKIP node is not installed (the simulator needs it)"; exit 0; }
repo=$(pwd)
hedge_bin=${HEDGE_BIN:-$repo/hedge}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$repo/scripts" "$work/scripts"
ln -s "$repo/tests" "$work/tests"
cp "$repo/.env.example" "$work/.env.example"

echo "1..3"
log=$work/valgrind.log
out=$work/demo.out
(cd "$work" && valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 \
  --log-file="$log" "$hedge_bin" scripts/demo.lua --cycles 1 --minutes 8 --plain > "$out" 2>&1)
status=$?
if [ $status -eq 0 ] && grep -q "demo done" "$out"; then
  echo "ok 1 - the demo ran to its end under valgrind"
else
  echo "not ok 1 - the demo ran to its end under valgrind (status $status)"
  tail -n 20 "$out" | sed 's/^/# /'
fi
if grep -q "cycle 1 closed" "$out"; then
  echo "ok 2 - a whole cycle: opened, held, closed"
else
  echo "not ok 2 - a whole cycle: opened, held, closed"
  grep -E '"(OPENING|HOLDING|CLOSING|WAITING)|error' "$out" | tail -n 10 | sed 's/^/# /'
fi
summary=$(grep -E "in use at exit|definitely lost:|indirectly lost:|ERROR SUMMARY" "$log")
if grep -q "ERROR SUMMARY: 0 errors" "$log" && { grep -q "definitely lost: 0 bytes" "$log" || ! grep -q "definitely lost:" "$log"; }; then
  echo "ok 3 - no memory errors and 0 bytes definitely lost"
  echo "$summary" | sed 's/^/# /'
  exit 0
fi
echo "not ok 3 - no memory errors and 0 bytes definitely lost"
sed 's/^/# /' "$log" | tail -n 80
exit 1
