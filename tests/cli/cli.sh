#!/bin/sh
# The hedge command line: options, arg, exit statuses, stdin-driven REPL, a script beside it.
set -u
n=0; failed=0
check() {   # check NAME EXPECTED FOUND
  n=$((n + 1))
  if [ "$2" = "$3" ]; then echo "ok $n - $1"
  else failed=$((failed + 1)); echo "not ok $n - $1"; printf '#   expected: %s\n#   found:    %s\n' "$2" "$3"; fi
}
H=$HEDGE_BIN
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

out=$("$H" --version); check "--version names hedge and LuaJIT" "yes" "$(echo "$out" | grep -q '^hedge .*LuaJIT' && echo yes)"
"$H" --help > /dev/null; check "--help exits 0" 0 $?

out=$("$H" -e 'print(arg[1], arg[2], #arg)' one two); check "-e passes arguments in arg" "one	two	2" "$out"
printf 'print(arg[0], arg[1])\n' > "$tmp/s.lua"
out=$("$H" "$tmp/s.lua" x); check "SCRIPT gets arg[0] and arg[1]" "$tmp/s.lua	x" "$out"

"$H" -e 'error("boom")' 2> "$tmp/err"; check "a runtime error exits 1" 1 $?
check "the error is printed with a traceback" "yes" "$(grep -q 'boom' "$tmp/err" && grep -q 'stack traceback' "$tmp/err" && echo yes)"
"$H" -e 'error(setmetatable({kind = "config", msg = "bad key", exit_code = 2}, {__tostring = function(e) return e.msg end}))' 2>/dev/null
check "an error carrying exit_code 2 (configuration) exits 2" 2 $?
"$H" "$tmp/missing.lua" 2> "$tmp/err"; check "a missing script exits 2" 2 $?
check "and names the file" "yes" "$(grep -q 'missing.lua' "$tmp/err" && echo yes)"
"$H" --bogus 2>/dev/null; check "an unknown option exits 2" 2 $?
"$H" -e 2>/dev/null; check "-e without code exits 2" 2 $?
printf 'x = = 1\n' > "$tmp/bad.lua"; "$H" "$tmp/bad.lua" 2>/dev/null; check "a syntax error exits 1" 1 $?
"$H" -e 'hedge = require "hedge"; hedge.exit(7)'; check "hedge.exit sets the status" 7 $?
"$H" -e 'local h = require "hedge"; h.spawn(function() h.sleep(0.1); io.write("bg done\n") end)' > "$tmp/out"
check "the process waits for spawned tasks" "bg done" "$(cat "$tmp/out")"

out=$(printf '1+1\nfunction f()\nreturn 7 end\nf()\n=nil, 3' | "$H"); check "piped REPL: values, multi-line chunk, last line without newline" "2
7
nil	3" "$out"
out=$(printf 'error("x")\n=5\n' | "$H" 2>&1 | tail -1); check "piped REPL continues after an error" "5" "$out"
printf 'io.write("script ran\\n")\n' > "$tmp/side.lua"
out=$("$H" -i "$tmp/side.lua" < /dev/null); check "hedge -i SCRIPT with no input runs the script" "script ran" "$out"

HEDGE_LOG="info,bogus" "$H" -e '' 2> "$tmp/err"; check "a bad HEDGE_LOG exits 2" 2 $?
check "and names the variable" "yes" "$(grep -q 'HEDGE_LOG' "$tmp/err" && echo yes)"
HEDGE_LOG_FILE="$tmp/log.jsonl" "$H" -e 'require("hedge.log").warn("demo", "to the file")' 2>/dev/null
check "HEDGE_LOG_FILE receives JSON lines" "yes" "$(grep -q '"msg":"to the file"' "$tmp/log.jsonl" && echo yes)"

# SIGTERM: the main task is cancelled and the process ends with 143
"$H" -e 'require("hedge").sleep(30)' & pid=$!
sleep 0.3; kill -TERM $pid; wait $pid; check "SIGTERM cancels the main task (status 143)" 143 $?

# trapped signals: the script sees the request, finishes its step, exits by itself
"$H" -e 'local h = require "hedge"; h.trap_signals(); while h.sleep_unless_stopped(30) do end; h.sleep(0.2); io.write("stopped after ", tostring(h.stop_requested()), "\n")' > "$tmp/out" 2>/dev/null & pid=$!
sleep 0.3; kill -TERM $pid; wait $pid; status=$?
check "a trapped SIGTERM lets the script finish its step and exit 0" "0 stopped after SIGTERM" "$status $(cat "$tmp/out")"

# hedge state: the named command runs scripts/state.lua
"$H" state --db "$tmp/none.db" > /dev/null 2> "$tmp/err"; status=$?
check "hedge state runs scripts/state.lua (a missing database exits 2)" "2" "$status"
check "and says which database" "yes" "$(grep -q 'none.db' "$tmp/err" && echo yes)"

echo "1..$n"
[ $failed -eq 0 ]
