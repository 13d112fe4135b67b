#!/bin/sh
# Configuration and secrets at the command line: a bad bot_config.json or a missing/malformed
# secret exits 2 with a message naming the key or variable (and never a secret's value); a good
# one exits 0; scripts/state.lua's usage and missing-database errors exit 2. Runs with an empty
# environment so the developer's own variables cannot leak in. Keys are the simulator's made-up ones.
set -u
n=0; failed=0
check() {   # check NAME EXPECTED FOUND
  n=$((n + 1))
  if [ "$2" = "$3" ]; then echo "ok $n - $1"
  else failed=$((failed + 1)); echo "not ok $n - $1"; printf '#   expected: %s\n#   found:    %s\n' "$2" "$3"; fi
}
contains() { grep -qF -- "$2" "$1" && echo yes || echo no; }
H=$HEDGE_BIN
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run() { env -i PATH="$PATH" "$H" "$@"; }

LIGHTER_KEY=55cb5656f329bb199fc6ae09669a27b41a5d7b9f75b763bc01437169803629425933b1418de0fb6c
cat > "$tmp/good.env" <<EOF
API_KEY_PRIVATE_KEY=$LIGHTER_KEY
ACCOUNT_INDEX=281
API_KEY_INDEX=4
SOL_WALLET=Dcz2WMjnTGPJKhc4WWWPDas8M1xf69HN13tTPoHA9XEJ
API_PUBLIC=DkUpNwMS5xazPUBbd9ra4e95ADZLjGxbkPFHAMzwzjtq
API_PRIVATE=3hVVKa3z6u2fmyVKUDqn6Mvq7AFM47tU5wY5aG8kxLMMNqa35xGBWrAi8EjYU3amH6Dddh6df83hEuewf7KU1VS5
EOF
cat > "$tmp/good.json" <<'EOF'
{
  "comment": "Lighter and Pacifica on mainnet endpoints; checked only, never traded",
  "venues": {"lighter": {"environment": "mainnet"}, "pacifica": {"environment": "mainnet"}},
  "symbols_to_monitor": ["BTC", "ETH"],
  "leverage": 2,
  "notional_per_position": "150"
}
EOF

run scripts/check_config.lua --config "$tmp/good.json" --env "$tmp/good.env" > "$tmp/out" 2> "$tmp/err"
check "a good configuration and .env exit 0" 0 $?
check "... and say so" yes "$(contains "$tmp/out" "secrets: present and well-formed for lighter, pacifica")"
check "... listing the defaults it applied" yes "$(contains "$tmp/out" "default hold_duration_hours = 8")"
check "... without any secret" no "$(contains "$tmp/out" "$LIGHTER_KEY")"

sed 's/"leverage": 2/"leverage": "2"/' "$tmp/good.json" > "$tmp/type.json"
run scripts/check_config.lua --config "$tmp/type.json" --env "$tmp/good.env" > /dev/null 2> "$tmp/err"
check "a wrong type exits 2" 2 $?
check "... naming file, line, key, expected and found" yes \
  "$(contains "$tmp/err" "$tmp/type.json:5: leverage: expected a whole number from 1 to 100, found \"2\"")"

sed 's/"leverage": 2/"leverage": 2, "hold_duration_hour": 12/' "$tmp/good.json" > "$tmp/unknown.json"
run scripts/check_config.lua --config "$tmp/unknown.json" --env "$tmp/good.env" > /dev/null 2> "$tmp/err"
check "an unknown key exits 2" 2 $?
check "... naming it and the likely intended key" yes \
  "$(contains "$tmp/err" "hold_duration_hour: unknown key (did you mean \"hold_duration_hours\"?)")"

sed 's/"environment": "mainnet"}, "pacifica"/"environment": "mainnet", "rest_url": "ftp:\/\/x"}, "pacifica"/' "$tmp/good.json" > "$tmp/nested.json"
run scripts/check_config.lua --config "$tmp/nested.json" --env "$tmp/good.env" > /dev/null 2> "$tmp/err"
check "a bad nested value exits 2" 2 $?
check "... naming the key path" yes "$(contains "$tmp/err" "venues.lighter.rest_url: expected an http:// or https:// URL, found \"ftp://x\"")"

printf '{"venues": ' > "$tmp/syntax.json"
run scripts/check_config.lua --config "$tmp/syntax.json" --env "$tmp/good.env" > /dev/null 2> "$tmp/err"
check "a JSON syntax error exits 2" 2 $?
check "... naming line and column" yes "$(contains "$tmp/err" "$tmp/syntax.json:1:12: unexpected end of the file (expected a value)")"

run scripts/check_config.lua --config "$tmp/none.json" --env "$tmp/good.env" > /dev/null 2> "$tmp/err"
check "a missing configuration file exits 2" 2 $?
check "... naming it" yes "$(contains "$tmp/err" "cannot read configuration file $tmp/none.json")"

grep -v '^API_PRIVATE=' "$tmp/good.env" > "$tmp/missing.env"
run scripts/check_config.lua --config "$tmp/good.json" --env "$tmp/missing.env" > /dev/null 2> "$tmp/err"
check "a missing secret exits 2" 2 $?
check "... naming the variable" yes "$(contains "$tmp/err" "API_PRIVATE: missing; venue pacifica needs it")"

sed "s/^API_KEY_PRIVATE_KEY=.*/API_KEY_PRIVATE_KEY=${LIGHTER_KEY}00/" "$tmp/good.env" > "$tmp/malformed.env"
run scripts/check_config.lua --config "$tmp/good.json" --env "$tmp/malformed.env" > "$tmp/out" 2> "$tmp/err"
check "a malformed key exits 2" 2 $?
check "... naming the variable and its line" yes \
  "$(contains "$tmp/err" "$tmp/malformed.env:1: API_KEY_PRIVATE_KEY: expected 80 hex digits (an optional 0x prefix), found 82")"
piece=$(printf %s "$LIGHTER_KEY" | cut -c1-16)
check "... never printing the key" no "$(cat "$tmp/out" "$tmp/err" | grep -qF "$piece" && echo yes || echo no)"

env -i PATH="$PATH" API_PRIVATE=not-base58-0OIl "$H" scripts/check_config.lua --config "$tmp/good.json" --env "$tmp/good.env" > /dev/null 2> "$tmp/err"
check "the environment wins over .env (a bad value there is reported)" 2 $?
check "... naming where it came from" yes "$(contains "$tmp/err" "environment: API_PRIVATE: expected base58 text")"
check "... never printing it" no "$(contains "$tmp/err" "not-base58")"

run scripts/check_config.lua --bogus > /dev/null 2>&1
check "check_config: an unknown argument exits 2" 2 $?
run scripts/check_config.lua --schema > "$tmp/out" 2>&1
check "check_config --schema lists the keys with their defaults" yes "$(contains "$tmp/out" "wait_between_cycles_minutes: a number from 0 to 10080; default 5")"

# scripts/state.lua
run scripts/state.lua --db "$tmp/none.db" > /dev/null 2> "$tmp/err"
check "state.lua: a missing database exits 2" 2 $?
check "... naming it" yes "$(contains "$tmp/err" "no state database at '$tmp/none.db'")"
run scripts/state.lua --config "$tmp/type.json" > /dev/null 2> "$tmp/err"
check "state.lua: a bad --config exits 2" 2 $?
check "... naming the key" yes "$(contains "$tmp/err" "leverage: expected a whole number")"
run scripts/state.lua --limit 0 > /dev/null 2>&1
check "state.lua: a bad --limit exits 2" 2 $?
run -e 'local s = require "hedge.store"; local db = assert(s.open(arg[1])); assert(db:state_set{state = "HOLDING", cycle = 3})' \
  "$tmp/state/hedge.db"
run scripts/state.lua --db "$tmp/state/hedge.db" > "$tmp/out" 2> "$tmp/err"
check "state.lua prints an existing database" 0 $?
check "... as JSON with the state" yes "$(contains "$tmp/out" '"state": "HOLDING"')"

# The bot itself, once scripts/strategy.lua exists, must refuse a bad configuration the same way.
if [ -f scripts/strategy.lua ]; then
  run scripts/strategy.lua --config "$tmp/type.json" > /dev/null 2> "$tmp/err"
  check "strategy.lua: a bad configuration exits 2" 2 $?
  check "... naming the key" yes "$(contains "$tmp/err" "leverage: expected a whole number from 1 to 100")"
else
  n=$((n + 1)); echo "ok $n # SKIP scripts/strategy.lua is not in the tree yet"
fi

echo "1..$n"
[ $failed -eq 0 ]
