#!/bin/sh
# valgrind memcheck over a script doing HTTP and WebSocket work: no invalid access, and
# 0 bytes definitely lost. (libedit/ncurses keep "still reachable" globals; those are fine.)
set -u
case "${TEST_BUILD:-}" in
  *asan*) echo "1..0 # SKIP valgrind cannot run an AddressSanitizer build"; exit 0 ;;
esac
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind is not installed (make deps installs it)"; exit 0; }
echo "1..2"
log=$(mktemp)
valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 \
  --log-file="$log" "$HEDGE_BIN" tests/leaks/io_workload.lua > "$log.out" 2>&1
status=$?
if grep -q "workload done" "$log.out" && [ $status -eq 0 ]; then
  echo "ok 1 - the workload ran to its end under valgrind"
else
  echo "not ok 1 - the workload ran to its end under valgrind (status $status)"
  sed 's/^/# /' "$log.out" | tail -20
fi
summary=$(grep -E "in use at exit|definitely lost:|ERROR SUMMARY" "$log")
if grep -q "definitely lost: 0 bytes" "$log" || ! grep -q "definitely lost:" "$log"; then
  if grep -q "ERROR SUMMARY: 0 errors" "$log"; then
    echo "ok 2 - no memory errors and 0 bytes definitely lost"
    echo "$summary" | sed 's/^/# /'
    rm -f "$log" "$log.out"
    exit 0
  fi
fi
echo "not ok 2 - no memory errors and 0 bytes definitely lost"
sed 's/^/# /' "$log" | tail -60
rm -f "$log" "$log.out"
exit 1
