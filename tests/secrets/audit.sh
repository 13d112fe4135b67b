#!/bin/sh
# The secrets audit (tests/secrets/canary_audit.lua, TAP) run by the hedge binary under test:
# the bot and the tools with canary keys, every output searched for them. About a minute.
set -eu
command -v node >/dev/null || { echo "1..0 # SKIP node is not installed (the simulator needs it)"; exit 0; }
exec "${HEDGE_BIN:-./hedge}" tests/secrets/canary_audit.lua
