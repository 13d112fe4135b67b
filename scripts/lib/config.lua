-- The rotation bot's configuration: bot_config.json, validated against the schema below.
--
--   local config = require "lib.config"
--   local cfg, err, report = config.load("bot_config.json")  -- err: {kind = "config", msg, errors, exit_code = 2}
--   cfg, err, report = config.reload("bot_config.json", cfg) -- before each cycle: a bad edit keeps cfg
--   local ep = config.endpoints(cfg, "lighter", creds)       -- {environment, rest, ws, chain_id?, api_version?}
--
-- The keys are the seed bots' (SEEDS.md §2, same meaning) plus `venues`, `selection_script`,
-- `stoploss_policy`, `state_db`, `log_file` and the strategy knobs of issue 8. Keys starting with
-- "comment" are ignored; any other unknown key is an error. Money-critical keys (venues,
-- leverage, symbols, position size) have no default; every other default is listed in the
-- schema (config.document() prints them) and reported back by load (report.defaults), so the
-- strategy can log what it assumed. Paths are relative to the working directory.
local J = require "hedge.json_strict"
local S = require "hedge.schema"

local config = {}

local SYMBOL = S.string { pattern = "^[%w]+$", max_len = 20, pattern_doc = 'a symbol such as "BTC"' }
local HTTP_URL = S.string { pattern = "^https?://[^%s]+$", pattern_doc = "an http:// or https:// URL", optional = true,
  doc = "REST base as the simulator prints it: Pacifica and Lighter .../api/v1, edgeX the host" }
local WS_URL = S.string { pattern = "^wss?://[^%s]+$", pattern_doc = "a ws:// or wss:// URL", optional = true }
local ENVIRONMENT = S.enum { "mainnet", "testnet", "sim", required = true,
  doc = "sim is the local venue simulator (tests/sim) and needs rest_url and ws_url" }

local function venue(extra)
  local fields = { environment = ENVIRONMENT, rest_url = HTTP_URL, ws_url = WS_URL }
  for k, v in pairs(extra or {}) do fields[k] = v end
  return S.object(fields, {
    optional = true,
    check = function(v, report)
      if v.environment == "sim" and (not v.rest_url or not v.ws_url) then
        report("environment \"sim\" needs rest_url and ws_url (the simulator prints them when it starts)")
      end
    end,
  })
end

local VENUES = S.object({
  lighter = venue {
    chain_id = S.integer { min = 1, max = 2147483647, optional = true,
      doc = "chain id Lighter txs are signed for; absent: 304 on mainnet and sim, 300 on testnet" },
  },
  pacifica = venue(),
  edgex = venue { api_version = S.enum { "v2", "v1", default = "v2",
    doc = "edgeX API generation: v2 (EIP-712 signer key + HMAC API key) or the legacy v1 (Stark key)" } },
}, {
  required = true,
  doc = "the two or three venues to hedge across",
  check = function(v, report, raw)
    local n = 0
    for k in pairs(raw) do
      if type(k) == "string" and k:sub(1, 7) ~= "comment" then n = n + 1 end
    end
    if n < 2 then report("expected at least two of lighter, pacifica, edgex, found " .. n) end
    local e = v.edgex
    if e and e.environment == "testnet" and e.api_version == "v2" and (not e.rest_url or not e.ws_url) then
      report("edgeX publishes no v2 testnet: give rest_url and ws_url, or use api_version \"v1\"", "edgex")
    end
  end,
})

config.schema = S.object({
  -- the seeds' keys (SEEDS.md §2)
  symbols_to_monitor = S.one_of({ S.array(SYMBOL, { min_items = 1, max_items = 500, unique = true }), S.enum { "*" } }, {
    required = true, expected = 'an array of symbols such as ["BTC", "ETH"] or "*"',
    doc = 'candidate base assets; "*" means every symbol listed on at least two configured venues' }),
  quote = S.string { pattern = "^[A-Z]+$", pattern_doc = 'an upper-case quote currency such as "USD"', default = "USD",
    doc = "quote currency of the edgeX contract names (SYMBOL + quote)" },
  leverage = S.integer { min = 1, max = 100, required = true,
    doc = "leverage set on both venues before every open (never silently 1x or 3x)" },
  notional_per_position = S.decimal { gt = 0, optional = true,
    doc = "maximum USD notional per leg (LE); capped by available capital. Give this or base_capital_allocation" },
  base_capital_allocation = S.decimal { gt = 0, optional = true,
    doc = "USD capital per cycle before leverage (LP): notional per leg at most this x leverage" },
  hold_duration_hours = S.number { gt = 0, max = 8760, default = 8, doc = "hours from open to rotation" },
  wait_between_cycles_minutes = S.number { min = 0, max = 10080, default = 5, doc = "cooldown after a close" },
  check_interval_seconds = S.number { min = 1, max = 86400, default = 60, doc = "period of the holding checks" },
  min_net_apr_threshold = S.number { min = -1000, max = 100000, default = 5,
    doc = "minimum APR (%) to open: net of fees for scripts/select/default.lua, gross for gross_apr.lua" },
  stop_loss_percent = S.number { gt = 0, max = 100, optional = true,
    doc = "worst-leg loss, % of the leg's notional, that closes the hedge; absent: stoploss_policy derives it from leverage" },
  enable_stop_loss = S.boolean { default = true, doc = "turns the worst-leg stop on or off" },
  min_volume_usd = S.number { min = 0, default = 250000000,
    doc = "minimum 24 h quote volume, USD, on each venue of the pair (LE summed the two venues; each leg must now pass)" },
  max_spread_pct = S.number { min = 0, max = 100, default = 0.15,
    doc = "maximum gap between the two venues' mid prices, % of their average (LE)" },
  liquidation_check_grace_period_seconds = S.number { min = 0, max = 3600, default = 30,
    doc = "seconds after an open before a missing leg counts as liquidated (LP)" },
  enable_pnl_tracking = S.boolean { default = true, doc = "accepted for LE configuration files; PnL is always tracked" },
  enable_health_monitoring = S.boolean { default = true, doc = "accepted for LE configuration files; health is always checked" },

  -- venues and scripts
  venues = VENUES,
  selection_script = S.string { min_len = 1, default = "scripts/select/default.lua",
    doc = "Lua module that ranks the candidates (scripts/select/gross_apr.lua reproduces the seeds' rule)" },
  stoploss_policy = S.string { pattern = "%.lua$", pattern_doc = "a path to a .lua file",
    default = "scripts/policy/stoploss.lua", doc = "Lua module with the worst-leg stop rule (percent and check)" },
  stoploss_formula = S.enum { "le_formula", "lp_table", default = "le_formula",
    doc = "stop level when stop_loss_percent is absent: the LE leverage formula (3x 22.56 %) or the LP table (3x 20 %)" },
  state_db = S.string { min_len = 1, default = "state/hedge.db", doc = "SQLite state and journal (restart needed)" },
  log_file = S.string { min_len = 1, default = "logs/hedge.log", doc = "JSON-lines log file (restart needed)" },

  -- execution and risk knobs (issue 8)
  order_style = S.enum { "limit_cross", "market", default = "limit_cross",
    doc = "limit_cross: limit orders cross_ticks through the book; market: market orders capped by slippage_bps" },
  margin_mode = S.enum { "cross", "isolated", default = "cross",
    doc = "margin mode set with the leverage on every venue (LP's LIGHTER_MARGIN_MODE must agree)" },
  cross_ticks = S.integer { min = 0, max = 10000, default = 100, doc = "ticks past the best price for aggressive limits" },
  slippage_bps = S.number { min = 0, max = 1000, default = 50,
    doc = "slippage cap for market orders and the most the book walk may cost per leg" },
  max_bidask_spread_pct = S.number { min = 0, max = 100, default = 0.1,
    doc = "maximum bid/ask spread on each venue's own book, % of mid" },
  min_notional_usd = S.number { min = 0, default = 10, doc = "smallest notional per leg worth opening" },
  min_available_usd = S.number { min = 0, default = 20, doc = "minimum available balance on each venue to open (LP)" },
  max_open_attempts = S.integer { min = 1, max = 50, default = 3,
    doc = "candidates tried per cycle when an open fails (the next best after each failure)" },
  scan_books_top_k = S.integer { min = 1, max = 1000, default = 10,
    doc = "order books are read for this many candidate pairs per analysis round, the widest gross funding spreads first" },
  scan_books_max_rounds = S.integer { min = 1, max = 100, default = 5,
    doc = "when none of them is eligible, the next scan_books_top_k pairs get their books, up to this many times per round" },
  scan_live_books = S.boolean { default = true,
    doc = "keep live (WebSocket) order books of the last round's top pairs between rounds, so a round reads them without a request; closed while a hedge is held" },
  markets_cache_seconds = S.number { min = 0, max = 86400, default = 300,
    doc = "market metadata (symbols, steps, fees) older than this is refreshed in the background; rounds use the cached copy" },
  fill_wait_seconds = S.number { gt = 0, max = 600, default = 8, doc = "time allowed for fills to show in the venues' positions" },
  reconcile_seconds = S.number { gt = 0, max = 300, default = 5,
    doc = "time allowed to find an order of unknown outcome by its client id" },
  close_attempts = S.integer { min = 1, max = 20, default = 3, doc = "reduce-only close rounds until flat before ERROR" },
  error_retry_minutes = S.number { gt = 0, max = 1440, default = 5, doc = "pause in ERROR before reconciling again" },
  leg_imbalance_tolerance_pct = S.number { min = 0, max = 50, default = 0.5,
    doc = "size difference between the legs, % of the larger, tolerated before trimming or alarm" },
  funding_inversion_exit_apr = S.one_of({ S.number { min = 0, max = 100000 }, S.enum { false } }, { default = 10,
    doc = "close early when the held pair's net funding APR (%) falls below minus this; false turns it off" }),
  align_to_settlement = S.boolean { default = false,
    doc = "rotate just after a funding settlement that pays the position, not at the exact hold time" },
  settlement_margin_seconds = S.number { min = 0, max = 3600, default = 30,
    doc = "with align_to_settlement: seconds after the settlement before closing" },
  time_scale = S.number { min = 1, max = 100000, default = 1,
    doc = "simulation only: strategy time (holds, checks, cooldowns) runs this many times faster; set it to the simulator's clock scale. Must be 1 unless every venue's environment is sim" },
  naked_leg_policy = S.enum { "close", "halt", default = "close",
    doc = "at start-up, a leg without its partner is closed (reduce-only) or the bot halts for the operator" },
  manual_hedge_policy = S.enum { "adopt", "refuse", default = "adopt",
    doc = "at start-up, a hedge opened by hand (scripts/hedge.lua open) is adopted and managed like the bot's own, or the bot halts until it is closed" },
  alerts = S.object({
    command = S.string { min_len = 1, optional = true,
      doc = "shell command run for each alert (/bin/sh -c), the alert as JSON on stdin and HEDGE_ALERT_* variables" },
    webhook_url = S.string { pattern = "^https?://[^%s]+$", pattern_doc = "an http:// or https:// URL", optional = true,
      doc = "URL that receives each alert as an HTTP POST with a JSON body" },
    events = S.array(S.enum { "naked_leg", "failed_unwind", "halt", "stop_loss", "margin", "imbalance", "funding_mismatch",
      "emergency_close_incomplete", "selection_error" }, { min_items = 1, unique = true, optional = true,
      doc = "which events are sent; absent: all of them" }),
    min_interval_seconds = S.number { min = 0, max = 86400, default = 300,
      doc = "the same event for the same symbol and venue is sent at most this often; the ones held back are counted" },
    timeout_seconds = S.number { gt = 0, max = 60, default = 5, doc = "time allowed for the webhook or the command" },
    margin_distance_pct = S.number { gt = 0, max = 100, default = 10,
      doc = "alert when a leg's mark is closer than this (% of mark) to its liquidation price" },
  }, { optional = true, doc = "where alerts go (naked leg, failed unwind, halt, stop-loss, margin, funding convention); absent: the log only" }),
  status = S.object({
    listen = S.string { pattern = "^[%w%.:%[%]]+$", max_len = 64, required = true,
      pattern_doc = 'IP:PORT such as "127.0.0.1:8080" or "0.0.0.0:9100", or a port alone for 127.0.0.1',
      doc = "where the status page (/), its JSON (/api/state, /api/history, /api/funding) and Prometheus metrics (/metrics) are served; a port alone binds 127.0.0.1. Off loopback a token is required" },
    token_env = S.string { pattern = "^[A-Za-z_][A-Za-z0-9_]*$", pattern_doc = "an environment variable name",
      default = "HEDGE_STATUS_TOKEN",
      doc = "variable (environment or .env) holding the bearer token, at least 16 characters; required off loopback, used on loopback when set" },
  }, { optional = true, doc = "the read-only status server (page, JSON, metrics) on the bot's own loop; absent: off" }),
  fees = S.map(S.object({ taker = S.decimal { min = 0, max = "0.01", required = true,
    doc = "taker fee as a fraction of notional (0.0004 = 4 bps)" } }), {
    optional = true, key_pattern = "^[a-z]+$", key_doc = "a venue name (lighter, pacifica, edgex)",
    doc = "taker fee overrides per venue for the cost estimate; absent: the fee each venue reports" }),
}, {
  check = function(cfg, report, raw)
    if raw.notional_per_position == nil and raw.base_capital_allocation == nil then
      report("give notional_per_position (max USD per leg) or base_capital_allocation (USD per cycle before leverage)")
    end
    if cfg.time_scale and cfg.time_scale ~= 1 then
      for name, v in pairs(cfg.venues or {}) do
        if v.environment ~= "sim" then
          report(("time_scale speeds up strategy time for the simulator only, but venues.%s.environment is %s"):format(name, tostring(v.environment)), "time_scale")
        end
      end
    end
    for name in pairs(cfg.fees or {}) do
      if cfg.venues and not cfg.venues[name] then report("no such venue in venues (fees apply to configured venues)", "fees." .. name) end
    end
  end,
})
S.check_defaults(config.schema)

-- Keys whose change needs a restart: a reload keeps the running values and says so.
config.restart_keys = { venues = true, state_db = true, log_file = true, status = true }

local function config_error(msg, errors, path)
  return { kind = "config", msg = msg, errors = errors or {}, file = path, exit_code = 2 }
end
-- Same text as any hedge error when printed.
local error_mt = { __tostring = function(e) return e.msg end }

local function read_file(path)
  local f, why = io.open(path, "rb")
  if not f then return nil, why end
  local text = f:read("*a")
  f:close()
  return text
end

local function file_exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- Files named explicitly in the config must exist (the shipped defaults are the program's own).
local function check_files(data, path, info)
  local errors = {}
  if not J.is_object(data) then return errors end
  local lines = info and info.line_of[data] or {}
  for _, key in ipairs { "selection_script", "stoploss_policy" } do
    local file = data[key]
    if type(file) == "string" and file ~= "" and not file_exists(file) then
      errors[#errors + 1] = { path = key, line = lines[key],
        msg = string.format("%s%s: %s: no file at %s", path, lines[key] and (":" .. lines[key]) or "", key, S.quote(file)) }
    end
  end
  return errors
end

-- config.parse(text, name) -> cfg, nil, report | nil, err. name is used in messages.
function config.parse(text, name)
  local data, info = J.decode(text)
  if not data then
    local msg = string.format("%s:%d:%d: %s", name, info.line, info.column, info.msg)
    return nil, setmetatable(config_error(msg, { { path = "", line = info.line, msg = msg } }, name), error_mt)
  end
  local cfg, errors, defaults = S.validate(config.schema, data, { file = name, info = info })
  errors = errors or {}
  for _, e in ipairs(check_files(data, name, info)) do errors[#errors + 1] = e end
  if #errors > 0 then
    -- In file order, as a person reads it.
    table.sort(errors, function(a, b)
      if (a.line or 0) ~= (b.line or 0) then return (a.line or 0) < (b.line or 0) end
      return a.path < b.path
    end)
    local lines = {}
    for i, e in ipairs(errors) do lines[i] = e.msg end
    local msg = (#errors == 1 and "" or (#errors .. " problems in " .. name .. ":\n")) .. table.concat(lines, "\n")
    return nil, setmetatable(config_error(msg, errors, name), error_mt)
  end
  return cfg, nil, { defaults = defaults, file = name }
end

-- config.load(path) -> cfg, nil, report | nil, err (err.exit_code = 2). report.defaults lists
-- every default applied ({path, value}).
function config.load(path)
  if type(path) ~= "string" then error("config.load: path must be a string", 2) end
  local text, why = read_file(path)
  if not text then
    return nil, setmetatable(config_error("cannot read configuration file " .. path .. ": " .. tostring(why), {}, path), error_mt)
  end
  return config.parse(text, path)
end

local function same(a, b)
  if type(a) ~= "table" or type(b) ~= "table" then return a == b end
  for k, v in pairs(a) do if not same(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

-- config.reload(path, current) -> new_cfg, nil, report | current, err, nil
-- A file that no longer loads keeps `current` (err says why: err.kept_previous = true). Keys
-- that need a restart keep their running value; report.changed lists the keys that changed,
-- report.restart_needed those whose new value waits for a restart.
function config.reload(path, current)
  if type(current) ~= "table" then error("config.reload: the current configuration is required", 2) end
  local new, err, report = config.load(path)
  if not new then
    err.msg = err.msg .. "\n(kept the previous configuration)"
    err.kept_previous = true
    return current, err, nil
  end
  report.changed, report.restart_needed = {}, {}
  local keys = {}
  for k in pairs(config.schema.fields) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    if not same(new[k], current[k]) then
      if config.restart_keys[k] then
        new[k] = current[k]
        report.restart_needed[#report.restart_needed + 1] = k
      else
        report.changed[#report.changed + 1] = k
      end
    end
  end
  return new, nil, report
end

-- Published endpoints (specs/*.md §1), as the venue clients take them: Pacifica and Lighter REST
-- bases end in /api/v1, edgeX's is the host (the client appends /api/v2 or /api/v1). edgeX v2 has
-- no public testnet.
local ENDPOINTS = {
  lighter = {
    mainnet = { rest = "https://mainnet.zklighter.elliot.ai/api/v1", ws = "wss://mainnet.zklighter.elliot.ai/stream", chain_id = 304 },
    testnet = { rest = "https://testnet.zklighter.elliot.ai/api/v1", ws = "wss://testnet.zklighter.elliot.ai/stream", chain_id = 300 },
  },
  pacifica = {
    mainnet = { rest = "https://api.pacifica.fi/api/v1", ws = "wss://ws.pacifica.fi/ws" },
    testnet = { rest = "https://test-api.pacifica.fi/api/v1", ws = "wss://test-ws.pacifica.fi/ws" },
  },
  edgex_v2 = {
    mainnet = { rest = "https://edgex-prod-v2.edgex.exchange", ws = "wss://edgex-quote-prod-v2.edgex.exchange" },
  },
  edgex_v1 = {
    mainnet = { rest = "https://pro.edgex.exchange", ws = "wss://quote.edgex.exchange" },
    testnet = { rest = "https://testnet.edgex.exchange", ws = "wss://quote-testnet.edgex.exchange" },
  },
}

-- config.endpoints(cfg, venue [, env_urls]) -> {environment, rest, ws, chain_id?, api_version?, margin_mode?}
-- URLs: the config's rest_url/ws_url, else the environment's override (env_urls = {rest, ws},
-- e.g. LIGHTER_BASE_URL from hedge.env), else the venue's published endpoint.
function config.endpoints(cfg, name, env_urls)
  local v = cfg.venues and cfg.venues[name]
  if not v then return nil, name .. " is not configured in venues" end
  env_urls = env_urls or {}
  local table_name = name == "edgex" and "edgex_" .. v.api_version or name
  local published = (ENDPOINTS[table_name] or {})[v.environment] or {}
  local rest = v.rest_url or env_urls.rest
  -- The seeds' LIGHTER_BASE_URL names the host (their SDK added /api/v1); the client wants the base.
  if name == "lighter" and rest and not rest:match("/api/v1/?$") then rest = rest:gsub("/+$", "") .. "/api/v1" end
  local out = {
    environment = v.environment,
    rest = rest or published.rest,
    ws = v.ws_url or env_urls.ws or published.ws,
    chain_id = v.chain_id or published.chain_id,
    api_version = v.api_version,
    margin_mode = cfg.margin_mode,
  }
  -- The simulator signs for mainnet's chain id unless its scenario says otherwise (then set chain_id).
  if name == "lighter" and not out.chain_id then out.chain_id = 304 end
  if not out.rest or not out.ws then return nil, "venues." .. name .. ": no endpoint known; give rest_url and ws_url" end
  return out
end

-- config.client_options(cfg, venue, creds) -> the options table for venues.<venue>.new: endpoints,
-- chain id (Lighter), api_version (edgeX), slippage_bps and the credentials from hedge.env.
function config.client_options(cfg, name, creds)
  creds = creds or {}
  local ep, err = config.endpoints(cfg, name, creds.urls)
  if not ep then return nil, err end
  local o = {}
  for k, v in pairs(creds) do
    if k ~= "urls" and k ~= "margin_mode" then o[k] = v end
  end
  o.rest, o.ws = ep.rest, ep.ws
  if name == "lighter" then o.chain_id = ep.chain_id end
  if name == "edgex" then o.api_version = ep.api_version end
  o.slippage_bps = cfg.slippage_bps
  return o
end

-- Every key with its type, presence and default, one line each.
function config.document() return S.document(config.schema) end

return config
