-- Regression tests for what the fuzz targets of tests/fuzz/ found in hedge's Lua code (the C
-- finds are in tests/c/test_fuzz_regressions.c). Each case is the minimised input with the
-- behaviour the fix guarantees.
package.path = "tests/lua/?.lua;scripts/?.lua;" .. package.path
local tap = require "lib.tap"
local J = require "hedge.json_strict"
local config = require "lib.config"

-- Runs fn with an instruction budget, so a regression to an endless loop fails instead of
-- hanging the suite (the JIT is off here: LuaJIT calls count hooks only from the interpreter).
local function bounded(fn, ...)
  jit.off()
  debug.sethook(function() error("still running after the instruction budget", 0) end, "", 10000000)
  local results = { n = 0 }
  local function keep(...) results.n = select("#", ...); for i = 1, results.n do results[i] = (select(i, ...)) end end
  keep(pcall(fn, ...))
  debug.sethook()
  jit.on()
  return unpack(results, 1, results.n)
end

-- fuzz_config: a DEL byte (0x7F) in a string made json_strict.decode loop forever, appending
-- empty pieces until memory ran out: its fast path stopped at %c (which includes DEL) while the
-- slow path only handles bytes below 0x20. DEL is legal in a JSON string and is now kept.
local ok, value = bounded(J.decode, '{"key":"a\127b","x\127":1}')
tap.ok(ok, "json_strict.decode returns on a DEL byte inside strings")
tap.is(ok and value and value.key, "a\127b", "the DEL byte is kept in the value")
tap.is(ok and value and value["x\127"], 1, "and in a key")

local found = '{"venues":{"lighter":{"envir\127nment":"testnet"},"pacifica":{"environment":"testnet"}},' ..
  '"symbols_to_monitor":["BTC",,\n\n  "comment_fees": "Optional taker fee overrides ("ETH"],"leverage":3,' ..
  '"nktional_per_position":"100"}'
local parsed_ok, cfg, err = bounded(config.parse, found, "fuzz.json")
tap.ok(parsed_ok and cfg == nil and type(err) == "table", "config.parse of the fuzzer's input returns nil, err")
tap.like(parsed_ok and err and err.msg, "^fuzz%.json:1:114: expected a value, found ','", "the error names file, line and column")

-- fuzz_config: a number whose exponent has many digits ("9e000…0003000000") is nil to LuaJIT's
-- tonumber, so json_strict.decode answered nil with no error (and 1e400 would have been inf).
-- Both are now refused at their line and column.
local huge = "9e" .. string.rep("0", 56) .. "3000000"
local hv, herr = J.decode(huge)
tap.ok(hv == nil and type(herr) == "table", "a number with a 63-digit exponent is refused")
tap.is(herr and herr.msg, "number out of range '9e00000000000000000000000000000000000000...'", "with the number named")
tap.is(herr and herr.column, 1, "at its column")
local iv, ierr = J.decode('{"leverage":\n 1e400}')
tap.ok(iv == nil and ierr and ierr.line == 2 and ierr.column == 2, "1e400 is refused at line 2, column 2")
tap.is(ierr and ierr.msg, "number out of range '1e400'", "and named")
local fv = J.decode('[1e308, -2.5e-400, 0]')
tap.ok(fv and fv[1] == 1e308 and fv[2] == 0 and fv[3] == 0, "the largest double and an underflow to zero still read")

tap.done()
