-- Configuration: hedge.json_strict, hedge.schema and lib.config. Every kind of error with its
-- exact message (file, line, key path, expected, found), all errors at once, comment keys,
-- "*" for the symbols, documented defaults reported back, exact decimals, reload keeping the
-- old configuration, endpoints, and the shipped example file.
local J = require "hedge.json_strict"
local S = require "hedge.schema"
local config = require "lib.config"
local t = require "lib.tap"

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p '" .. dir .. "'")
local function write(name, text)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

-- ---- json_strict ---------------------------------------------------------------------------------

local function json_error(text)
  local v, e = J.decode(text)
  if v ~= nil then return "decoded" end
  return string.format("%d:%d: %s", e.line, e.column, e.msg)
end
t.is(json_error('{"a": 1,\n "a": 2}'), '2:2: duplicate key "a" (first at line 1)', "json: duplicate keys refused")
t.is(json_error('{"a": 1,}'), "1:9: trailing comma before '}'", "json: trailing comma")
t.is(json_error('{\n  // note\n  "a": 1}'), '2:3: comments are not allowed in JSON; put notes in a key starting with "comment"',
  "json: comments refused with a hint")
t.is(json_error('{"a": 01}'), "1:7: bad number '01'", "json: leading zero")
t.is(json_error('{"a": "x\ny"}'), "1:7: unterminated string (a string cannot span lines)", "json: newline in a string")
t.is(json_error('{"a" 1}'), "1:6: expected ':' after the key \"a\", found '1'", "json: missing colon")
t.is(json_error("[1, 2"), "1:6: expected ',' or ']' after an array element, found the end of the file", "json: unterminated array")
t.is(json_error("{} x"), "1:4: unexpected 'x' after the JSON value", "json: trailing garbage")
t.is(json_error(""), "1:1: unexpected end of the file (expected a value)", "json: empty file")
local v, info = J.decode('{\n "n": 320.0,\n "e": [],\n "o": {},\n "s": "\\u00e9\\ud83d\\ude00"\n}')
t.is(info.number_text[v].n, "320.0", "json: number text kept as written")
t.is(info.line_of[v].e, 3, "json: line of a key")
t.ok(J.is_array(v.e) and J.is_object(v.o), "json: empty array and empty object told apart")
t.is(v.s, "é😀", "json: unicode escapes and surrogate pairs")

-- ---- schema ---------------------------------------------------------------------------------------

t.raises(function() S.object { x = S.number {} } end, "field 'x' must say required = true, optional = true or default",
  "schema: a field without presence is a schema error")
t.raises(function() S.number { minimum = 1 } end, "number has no option 'minimum'", "schema: unknown option")
t.raises(function()
  S.check_defaults(S.object { x = S.integer { min = 1, default = 0 } })
end, "the default of x is invalid", "schema: a default that fails its own spec")

local spec = S.object({
  n = S.number { min = 0, max = 10, required = true },
  i = S.integer { gt = 0, default = 3 },
  d = S.decimal { gt = 0, optional = true },
  e = S.enum { "a", "b", default = "a" },
  list = S.array(S.string { min_len = 1 }, { min_items = 1, unique = true, optional = true }),
  pick = S.one_of({ S.array(S.string {}, {}), S.enum { "*" } }, { optional = true }),
  m = S.map(S.object({ k = S.boolean { required = true } }), { optional = true }),
})
local out, errs, defaults = S.validate(spec, { n = 2, d = "0.10", list = { "x" }, pick = "*", comment_note = "x" }, { file = "f.json" })
t.ok(out and not errs, "schema: a good value validates")
t.is(out.d, "0.10", "schema: a decimal string kept exactly")
t.is(out.i, 3, "schema: a default applied")
t.is(#defaults, 2, "schema: defaults reported")
t.is(defaults[1].path .. "=" .. tostring(defaults[1].value), "e=a", "schema: ... with path and value")
t.is(out.comment_note, nil, "schema: comment keys are dropped")
out, errs = S.validate(spec, { n = "2", i = 1.5, d = "1e3", e = "c", list = { "x", "x", "" }, pick = 5,
                               m = { one = { k = 1 } }, colour = 1 }, { file = "f.json" })
local messages = {}
for i, e in ipairs(errs or {}) do messages[i] = e.msg end
t.is(table.concat(messages, "\n"), table.concat({
  "f.json: colour: unknown key; expected one of d, e, i, list, m, n, pick",
  'f.json: d: expected a decimal > 0 (a number or a string such as "100.5"), found "1e3"',
  'f.json: e: expected one of "a", "b", found "c"',
  "f.json: i: expected a whole number > 0, found 1.5",
  "f.json: list[2]: duplicate of item 1 (\"x\")",
  "f.json: list[3]: expected a non-empty string, found \"\"",
  "f.json: m.one.k: expected true or false, found 1",
  'f.json: n: expected a number from 0 to 10, found "2"',
  'f.json: pick: expected an array of a string or "*", found 5',
}, "\n"), "schema: every error at once, each with path, expected and found")
out, errs = S.validate(spec, {}, { file = "f.json" })
t.is(errs and errs[1].msg, "f.json: n: missing (required); expected a number from 0 to 10", "schema: a missing required key")
out, errs = S.validate(spec, { n = 1, pick = { "a", 7 } }, { file = "f.json" })
t.is(errs and errs[1].msg, "f.json: pick[2]: expected a string, found 7", "schema: one_of reports inside the matching container")
out, errs = S.validate(spec, { n = 1, d = 0.25 }, { file = "f.json" })
t.is(out and out.d, "0.25", "schema: a plain Lua number for a decimal converts explicitly (shortest text)")

-- ---- lib.config ------------------------------------------------------------------------------------

local MINIMAL = [[
{
  "comment": "two venues on the simulator",
  "venues": {
    "pacifica": {"environment": "sim", "rest_url": "http://127.0.0.1:8001/api/v1", "ws_url": "ws://127.0.0.1:8001/ws"},
    "lighter": {"environment": "mainnet", "comment_why": "ignored too"}
  },
  "symbols_to_monitor": "*",
  "leverage": 2,
  "notional_per_position": 320.0
}
]]
local cfg, err, report = config.load(write("minimal.json", MINIMAL))
t.ok(cfg, "a minimal configuration loads")
if not cfg then t.diag(err.msg) end
cfg = cfg or {}
t.is(cfg.symbols_to_monitor, "*", '"*" is accepted for the symbols')
t.is(cfg.notional_per_position, "320.0", "a JSON number for a decimal key is kept as written")
t.is(cfg.hold_duration_hours, 8, "default hold_duration_hours")
t.is(cfg.wait_between_cycles_minutes, 5, "default wait_between_cycles_minutes")
t.is(cfg.check_interval_seconds, 60, "default check_interval_seconds")
t.is(cfg.min_net_apr_threshold, 5, "default min_net_apr_threshold")
t.is(cfg.state_db, "state/hedge.db", "default state_db")
t.is(cfg.log_file, "logs/hedge.log", "default log_file")
t.is(cfg.selection_script, "scripts/select/default.lua", "default selection_script")
t.is(cfg.stoploss_formula, "le_formula", "default stoploss_formula")
t.is(cfg.naked_leg_policy, "close", "default naked_leg_policy")
t.is(cfg.funding_inversion_exit_apr, 10, "default funding_inversion_exit_apr")
t.is(cfg.stop_loss_percent, nil, "stop_loss_percent stays absent (the policy derives it)")
t.is(cfg.venues and cfg.venues.lighter.comment_why, nil, "comment keys inside venues are ignored")
t.is(cfg.comment, nil, "top-level comment key ignored")
local applied = {}
for _, d in ipairs(report and report.defaults or {}) do applied[d.path] = d.value end
t.is(applied.hold_duration_hours, 8, "the report lists the defaults applied")
t.is(applied.quote, "USD", "... every one of them")
t.is(applied.leverage, nil, "... and not the keys that were given")

local ep = config.endpoints(cfg, "pacifica")
t.is(ep and ep.rest, "http://127.0.0.1:8001/api/v1", "endpoints: the config's URL")
ep = config.endpoints(cfg, "lighter", { rest = "https://lighter.example" })
t.is(ep and ep.rest, "https://lighter.example/api/v1", "endpoints: the environment's override (a host gets /api/v1)")
t.is(ep and ep.ws, "wss://mainnet.zklighter.elliot.ai/stream", "endpoints: the published URL")
t.is(ep and ep.chain_id, 304, "endpoints: Lighter mainnet chain id")
t.is(select(2, config.endpoints(cfg, "edgex")), "edgex is not configured in venues", "endpoints: unknown venue")

-- every error at once, in file order, with exact messages
local BAD = [[
{
  "venues": {
    "lighter": {"environment": "main"},
    "pacifica": {"environment": "sim", "rest_url": "http://127.0.0.1:1/api/v1"}
  },
  "symbols_to_monitor": ["BTC", "ETH", "BTC", "b-t"],
  "leverage": "3",
  "notional_per_postion": 100,
  "hold_duration_hours": -1,
  "enable_stop_loss": "yes",
  "funding_inversion_exit_apr": true,
  "naked_leg_policy": null,
  "selection_script": "no/such/selector.lua"
}
]]
local bad_path = write("bad.json", BAD)
cfg, err = config.load(bad_path)
t.is(cfg, nil, "a bad configuration does not load")
t.is(err and err.exit_code, 2, "... its error carries exit code 2")
t.is(err and err.kind, "config", "... kind config")
local p = bad_path
t.is(err and err.msg, table.concat({
  "12 problems in " .. p .. ":",
  p .. ": (top level): give notional_per_position (max USD per leg) or base_capital_allocation (USD per cycle before leverage)",
  p .. ':3: venues.lighter.environment: expected one of "mainnet", "testnet", "sim", found "main"',
  p .. ':4: venues.pacifica: environment "sim" needs rest_url and ws_url (the simulator prints them when it starts)',
  p .. ':6: symbols_to_monitor[3]: duplicate of item 1 ("BTC")',
  p .. ':6: symbols_to_monitor[4]: expected a symbol such as "BTC", found "b-t"',
  p .. ':7: leverage: expected a whole number from 1 to 100, found "3"',
  p .. ':8: notional_per_postion: unknown key (did you mean "notional_per_position"?)',
  p .. ":9: hold_duration_hours: expected a number > 0 and <= 8760, found -1",
  p .. ':10: enable_stop_loss: expected true or false, found "yes"',
  p .. ":11: funding_inversion_exit_apr: expected a number from 0 to 100000 or false, found true",
  p .. ':12: naked_leg_policy: expected one of "close", "halt", found null',
}, "\n") .. "\n" .. p .. ':13: selection_script: no file at "no/such/selector.lua"', "every problem, in file order, each exact")
t.is(tostring(err), err and err.msg, "the error prints as its message")
t.is(err and #err.errors, 12, "err.errors lists each problem")

local function first_error(text)
  local _, e = config.parse(text, "c.json")
  return e and e.errors[1].msg or "loaded"
end
local base = '"venues": {"lighter": {"environment": "mainnet"}, "edgex": {"environment": "mainnet"}}, "leverage": 3, "notional_per_position": "100"'
t.is(first_error("{" .. base .. "}"), 'c.json: symbols_to_monitor: missing (required); expected an array of symbols such as ["BTC", "ETH"] or "*"',
  "missing symbols")
t.is(first_error("{" .. base .. ', "symbols_to_monitor": "ALL"}'),
  'c.json:1: symbols_to_monitor: expected an array of symbols such as ["BTC", "ETH"] or "*", found "ALL"', 'a word other than "*"')
t.is(first_error("{" .. base .. ', "symbols_to_monitor": []}'), "c.json:1: symbols_to_monitor: expected 1 to 500 items, found 0",
  "an empty symbol list")
t.is(first_error('{"venues": {"lighter": {"environment": "mainnet"}}, "symbols_to_monitor": "*", "leverage": 3, "notional_per_position": "1"}'),
  "c.json:1: venues: expected at least two of lighter, pacifica, edgex, found 1", "one venue only")
t.is(first_error('{"venues": {"lighter": {"environment": "mainnet"}, "binance": {}}, "symbols_to_monitor": "*", "leverage": 3, "notional_per_position": "1"}'),
  "c.json:1: venues.binance: unknown key; expected one of edgex, lighter, pacifica", "an unknown venue")
t.is(first_error("{" .. base .. ', "symbols_to_monitor": "*", "notional_per_position": "-5"}'),
  'c.json:1:164: duplicate key "notional_per_position" (first at line 1)', "a duplicate key")
t.is(first_error('{"venues": {"lighter": {"environment": "mainnet"}, "edgex": {"environment": "testnet"}}, "symbols_to_monitor": "*", "leverage": 3, "base_capital_allocation": 50}'),
  'c.json:1: venues.edgex: edgeX publishes no v2 testnet: give rest_url and ws_url, or use api_version "v1"', "edgeX v2 testnet")
t.is(first_error('{"venues": {"lighter": {"environment": "mainnet", "rest_url": "ftp://x"}, "edgex": {"environment": "mainnet"}}, "symbols_to_monitor": "*", "leverage": 3, "base_capital_allocation": 50}'),
  'c.json:1: venues.lighter.rest_url: expected an http:// or https:// URL, found "ftp://x"', "a bad URL")
t.is(first_error("{" .. base .. ', "symbols_to_monitor": "*", "fees": {"pacifica": {"taker": "0.0004"}}}'),
  "c.json:1: fees.pacifica: no such venue in venues (fees apply to configured venues)", "fees for a venue not configured")
t.is(first_error("{" .. base .. ', "symbols_to_monitor": "*", "fees": {"Lighter": {"taker": "0.0001"}}}'),
  "c.json:1: fees.Lighter: bad key; expected a venue name (lighter, pacifica, edgex)", "a bad key in a map")
t.is(first_error("{" .. base .. ', "symbols_to_monitor": "*", "fees": {"lighter": {"taker": "0.0001", "maker": "0"}}}'),
  "c.json:1: fees.lighter.maker: unknown key (did you mean \"taker\"?)", "an unknown key inside a map entry")
t.is(first_error("{" .. base .. ', "symbols_to_monitor": "*", "leverage": 3}'),
  'c.json:1:164: duplicate key "leverage" (first at line 1)', "duplicate leverage")
t.is(first_error("[1, 2]"), "c.json: (top level): expected an object, found an array", "not an object")
t.is(first_error('{"a": }'), "c.json:1:7: expected a value, found '}'", "a JSON syntax error names line and column")
t.is(first_error("{" .. base .. ', "symbols_to_monitor": "*", "funding_inversion_exit_apr": false, "stop_loss_percent": 25}'), "loaded",
  "false turns the inversion exit off; stop_loss_percent accepted")
local _, missing_err = config.load(dir .. "/nope.json")
t.like(missing_err and missing_err.msg, "^cannot read configuration file .*nope.json", "a missing file is named")
t.is(missing_err and missing_err.exit_code, 2, "... exit code 2")

-- reload keeps the old configuration on a bad edit
local live = write("live.json", MINIMAL)
local current = assert(config.load(live))
write("live.json", (MINIMAL:gsub('"leverage": 2', '"leverage": 0')))
local kept, rerr = config.reload(live, current)
t.is(kept, current, "a bad edit keeps the previous configuration")
t.is(rerr and rerr.kept_previous, true, "... and says so")
t.like(rerr and rerr.msg, "leverage: expected a whole number from 1 to 100, found 0\n%(kept the previous configuration%)$",
  "... with the reason")
write("live.json", (MINIMAL:gsub('"leverage": 2', '"leverage": 4'):gsub('"sim"', '"sim", "comment": "moved"')
  :gsub("8001", "8002")))
local new, nerr, nreport = config.reload(live, current)
t.ok(new and not nerr, "a good edit is taken")
t.is(new and new.leverage, 4, "... the new value")
t.is(nreport and table.concat(nreport.changed, ","), "leverage", "... the report lists what changed")
t.is(nreport and table.concat(nreport.restart_needed, ","), "venues", "... and what waits for a restart")
t.is(new and new.venues.pacifica.rest_url, "http://127.0.0.1:8001/api/v1", "... a restart-only key keeps its running value")

-- the shipped example and the documentation
local example, eerr = config.load("bot_config.example.json")
t.ok(example, "bot_config.example.json loads")
if not example then t.diag(eerr.msg) end
local doc = table.concat(config.document(), "\n")
t.like(doc, "\nhold_duration_hours: a number > 0 and <= 8760; default 8%. hours from open to rotation\n", "document() shows defaults")
t.like(doc, "\nleverage: a whole number from 1 to 100; required%.", "document() shows required keys")
t.like(doc, "\nvenues%.lighter%.environment: one of \"mainnet\", \"testnet\", \"sim\"; required", "document() goes into venues")

os.execute("rm -rf '" .. dir .. "'")
t.done()
