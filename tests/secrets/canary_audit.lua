-- Secrets audit (TAP, run by tests/secrets/audit.sh): the bot and the operator tools run against
-- the simulator with canary keys for every venue (the simulator's made-up keys of .env.example,
-- plus the edgeX v1 Stark key), at the most verbose log level, through their normal paths and
-- their error paths (malformed keys, a venue error that echoes the API key); then every output —
-- stdout and stderr of each run, the log file, the state database and its WAL, the state dump —
-- is searched for every canary in every encoding it has (tests/secrets/encodings.lua: hex lower,
-- upper and 0x, base58, base64 and base64url, decimal both byte orders, the Pacifica seed alone,
-- tokens as text, upper/lower case, base64 of the text and their decoded bytes). Any 16 characters
-- in a row of any encoding count as a hit, so a truncated key is a leak too. Zero hits required;
-- a hit is reported by variable, encoding and file, never by value.
package.path = "tests/secrets/?.lua;tests/lua/?.lua;" .. package.path
local files = require "hedge.files"
local hedge = require "hedge"
local cjson = require "cjson"
local tap = require "lib.tap"
local Sim = require "lib.sim"
local E = require "encodings"
local Canaries = require "canaries"

local HEDGE = os.getenv("HEDGE_BIN") or "./hedge"
local WINDOW = Canaries.WINDOW
local SCALE = 2880

local read, shell_quote = Canaries.read, Canaries.shell_quote

local write = files.write

-- Runs a shell command line to completion; returns its exit status.
local function sh(line, timeout)
  local p = assert(hedge.process.spawn { cmd = "sh", args = { "-c", line } })
  local status, err = p:wait(timeout or 60)
  if not status then
    p:kill(9)
    p:wait(5)
    return nil, err
  end
  return status
end

-- ---- canaries -----------------------------------------------------------------------------------

local example = assert(read(".env.example"), ".env.example is missing")
local CANARIES = Canaries.load(example)
-- ---- the world ------------------------------------------------------------------------------------

local scratch = os.tmpname()
os.remove(scratch)
local outputs = scratch .. "/out"        -- everything in here is searched
local private = scratch .. "/private"    -- keys and needles: not searched
assert(sh("mkdir -p " .. shell_quote(outputs) .. " " .. shell_quote(private)) == 0)

local sim = Sim.start { scenario = "tests/sim/scenarios/demo.json", clock = "scaled:" .. SCALE }
local a = sim.addr

local function config(venues, extra)
  local c = {
    comment = "secrets audit: the simulator's made-up accounts",
    venues = venues, symbols_to_monitor = "*", leverage = 3, notional_per_position = "500",
    hold_duration_hours = 24, wait_between_cycles_minutes = 60, check_interval_seconds = 600, time_scale = SCALE,
    min_net_apr_threshold = 5, min_volume_usd = 50000000, max_spread_pct = 0.15,
    liquidation_check_grace_period_seconds = 1800,
    state_db = outputs .. "/hedge.db", log_file = outputs .. "/hedge.log",
  }
  for k, v in pairs(extra or {}) do c[k] = v end
  return cjson.encode(c)
end
local ALL = {
  pacifica = { environment = "sim", rest_url = a.pacifica.rest, ws_url = a.pacifica.ws },
  lighter = { environment = "sim", rest_url = a.lighter.rest, ws_url = a.lighter.ws },
  edgex = { environment = "sim", rest_url = a.edgex.host, ws_url = a.edgex.ws, api_version = "v2" },
}
write(private .. "/bot_config.json", config(ALL))
write(private .. "/bot_config_v1.json", config({
  pacifica = ALL.pacifica,
  edgex = { environment = "sim", rest_url = a.edgex_v1.host, ws_url = a.edgex_v1.ws, api_version = "v1" },
}, { state_db = outputs .. "/hedge_v1.db" }))
write(private .. "/env", example)
local stark = CANARIES[4].value
write(private .. "/env_v1", example:gsub("\nEDGEX_ACCOUNT_ID=%d+", "\nEDGEX_ACCOUNT_ID=610000000000000001")
  .. "\nEDGEX_STARK_PRIVATE_KEY=" .. stark .. "\n")
-- Malformed keys built from the canaries: the error must name the variable, not repeat the value.
local function with(name, value) return (example:gsub("\n" .. name .. "=[^\n]+", "\n" .. name .. "=" .. value)) end
local pacifica_key = CANARIES[2].value
write(private .. "/env_bad_base58", with("API_PRIVATE", pacifica_key:sub(1, 20) .. "0" .. pacifica_key:sub(22)))
local lighter_key = CANARIES[1].value
write(private .. "/env_bad_hex", with("API_KEY_PRIVATE_KEY", lighter_key:sub(1, 30) .. "g" .. lighter_key:sub(32)))
local trading_key = CANARIES[3].value
write(private .. "/env_short_key", with("EDGEX_TRADING_PRIVATE_KEY", trading_key:sub(1, 63)))
write(private .. "/env_foreign_key", with("API_PRIVATE", E.base58(E.hex_bytes(lighter_key .. lighter_key:sub(1, 48)))))

local CFG, CFG_V1 = private .. "/bot_config.json", private .. "/bot_config_v1.json"
local RUNS = {
  { name = "check_config", args = { "scripts/check_config.lua", "--config", CFG, "--env", private .. "/env" }, expect = 0 },
  { name = "check_config_v1", args = { "scripts/check_config.lua", "--config", CFG_V1, "--env", private .. "/env_v1" }, expect = 0 },
  { name = "check_volume", args = { "scripts/check_volume.lua", "--config", CFG, "--env", private .. "/env" }, expect = { 0, 1 } },
  { name = "check_spreads", args = { "scripts/check_spreads.lua", "--config", CFG, "--env", private .. "/env" }, expect = { 0, 1 } },
  { name = "hedge_status", args = { "scripts/hedge.lua", "status", "--config", CFG, "--env", private .. "/env" }, expect = 0 },
  { name = "hedge_funding_all", args = { "scripts/hedge.lua", "funding_all", "--config", CFG, "--env", private .. "/env" }, expect = 0 },
  { name = "hedge_capacity", args = { "scripts/hedge.lua", "capacity", "--config", CFG, "--env", private .. "/env" }, expect = 0 },
  { name = "bot", args = { "scripts/strategy.lua", "--config", CFG, "--env", private .. "/env", "--plain", "--max-cycles", "1" },
    expect = 0, timeout = 180, check = "cycle 1 closed" },
  { name = "bot_v1_volume", args = { "scripts/check_volume.lua", "--config", CFG_V1, "--env", private .. "/env_v1" }, expect = { 0, 1 } },
  { name = "state_dump", args = { "scripts/state.lua", "--db", outputs .. "/hedge.db" }, expect = 0 },
  { name = "emergency_dry_run", args = { "scripts/emergency_close.lua", "--dry-run", "--force", "--config", CFG, "--env",
    private .. "/env" }, expect = { 0, 1 } },
  { name = "bad_base58_key", args = { "scripts/check_config.lua", "--config", CFG, "--env", private .. "/env_bad_base58" }, expect = 2,
    check = "API_PRIVATE" },
  { name = "bad_hex_key", args = { "scripts/check_config.lua", "--config", CFG, "--env", private .. "/env_bad_hex" }, expect = 2,
    check = "API_KEY_PRIVATE_KEY" },
  { name = "short_key", args = { "scripts/check_config.lua", "--config", CFG, "--env", private .. "/env_short_key" }, expect = 2,
    check = "EDGEX_TRADING_PRIVATE_KEY" },
  { name = "foreign_key", args = { "scripts/check_config.lua", "--config", CFG, "--env", private .. "/env_foreign_key" }, expect = 2,
    check = "API_PRIVATE" },
  { name = "strategy_bad_key", args = { "scripts/strategy.lua", "--config", CFG, "--env", private .. "/env_bad_hex", "--plain" },
    expect = 2, check = "API_KEY_PRIVATE_KEY" },
  -- The venue answers with an error that repeats the API key, secret and passphrase (edgeX does
  -- echo the key, spec V.2): the client must not pass them on.
  { name = "venue_echoes_keys", args = { "scripts/hedge.lua", "status", "--config", CFG, "--env", private .. "/env" },
    expect = { 0, 1, 2 }, check = "<redacted>", before = function()
      local echo = ("{\"code\":\"INVALID_API_KEY\",\"msg\":\"key %s secret %s passphrase %s not accepted\"}"):format(
        CANARIES[7].value, CANARIES[5].value, CANARIES[6].value)
      sim:fault { venue = "edgex", match = { venue = "edgex", kind = "http", path = "/api/v2/private/*" },
        action = { type = "http_status", status = 401, body = echo }, count = 1000 }
    end },
}

local function expected(status, expect)
  if type(expect) == "number" then return status == expect end
  for _, e in ipairs(expect) do if status == e then return true end end
  return false
end

for _, run in ipairs(RUNS) do
  if run.before then run.before() end
  local out = outputs .. "/" .. run.name .. ".out"
  local parts = { "HEDGE_LOG=trace", shell_quote(HEDGE) }
  for _, x in ipairs(run.args) do parts[#parts + 1] = shell_quote(x) end
  local status, err = sh(table.concat(parts, " ") .. " > " .. shell_quote(out) .. " 2>&1 < /dev/null", run.timeout or 60)
  local text = read(out) or ""
  local good = status and expected(status, run.expect) and (not run.check or text:find(run.check, 1, true) ~= nil)
  tap.ok(good, ("%s ran as expected (exit %s%s)"):format(run.name, tostring(status or err),
    run.check and (", output mentions " .. run.check) or ""))
  if not good then tap.diag((text:gsub("\n+$", "")):sub(-1500)) end
  if run.name == "venue_echoes_keys" then sim:clear_faults() end
end

-- ---- searching -------------------------------------------------------------------------------------

local search, needle_count = Canaries.searcher(CANARIES, private)

-- The search must find what is there: a control file holding one encoding of each canary.
write(private .. "/control", Canaries.control_text(CANARIES))
local found = 0
for _ in pairs(search(private .. "/control")) do found = found + 1 end
tap.is(found, #CANARIES, "the search finds every canary in a control file (one encoding each)")

local files = {}
local listing = private .. "/files"
sh(("find %s -type f | sort > %s"):format(shell_quote(outputs), shell_quote(listing)))
for path in (read(listing) or ""):gmatch("[^\n]+") do files[#files + 1] = path end
tap.ok(#files >= #RUNS + 3, ("%d output files to search (run outputs, log, database, WAL)"):format(#files))
local total = 0
for _, path in ipairs(files) do
  local hits = search(path)
  local list = {}
  for what, n in pairs(hits) do list[#list + 1] = ("%s x%d"):format(what, n); total = total + n end
  table.sort(list)
  local size = #(read(path) or "")
  tap.ok(#list == 0, ("no canary in %s (%d bytes)"):format(path:sub(#outputs + 2), size))
  if #list > 0 then tap.diag("found: " .. table.concat(list, ", ")) end
end
tap.is(total, 0, ("0 canary hits in %d files (%d canaries, %d distinct %d-character windows)"):format(#files, #CANARIES,
  needle_count, WINDOW))

-- ---- transport and file hygiene -------------------------------------------------------------------

-- TLS verification has no off switch: nothing in the C sources turns peer or host checks off
-- (the only knob is an extra CA file for tests).
local grep_tls = private .. "/tls"
sh(("grep -rnE 'SSL_VERIFYPEER, *0|SSL_VERIFYHOST, *0|LCCSCF_ALLOW_SELFSIGNED|LCCSCF_ALLOW_INSECURE|" ..
  "LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK|LCCSCF_ALLOW_EXPIRED|CURLOPT_SSL_VERIFYSTATUS, *0' runtime bindings exchanges > %s"):format(
  shell_quote(grep_tls)))
tap.is(read(grep_tls), "", "no code path turns TLS certificate or host-name verification off")

-- A .env others can read is warned about by the tools and the bot (file, mode, fix); a 0600 one is not.
write(private .. "/env_open", example)
local function check_config_output(mode)
  sh("chmod " .. mode .. " " .. shell_quote(private .. "/env_open"))
  local out = outputs .. "/env_mode_" .. mode .. ".out"
  sh(("%s scripts/check_config.lua --config %s --env %s > %s 2>&1"):format(shell_quote(HEDGE), shell_quote(CFG),
    shell_quote(private .. "/env_open"), shell_quote(out)))
  return read(out) or ""
end
tap.like(check_config_output("644"), "env_open is readable or writable by group or others %(mode 0644%) and holds " ..
  "private keys: chmod 600 ", "check_config warns about a .env readable by others (mode 0644)")
tap.ok(not check_config_output("600"):find("group or others", 1, true), "and says nothing of a 0600 one")

sim:stop()
-- AUDIT_KEEP=1 keeps the scratch folder (outputs and the made-up keys) for a look.
if os.getenv("AUDIT_KEEP") then tap.diag("kept " .. scratch) else sh("rm -rf " .. shell_quote(scratch)) end
tap.done()
