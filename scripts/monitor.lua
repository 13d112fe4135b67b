-- Margin and liquidation-distance monitor, runnable beside the bot (it only reads, unless told
-- to close).
--
--   hedge scripts/monitor.lua [--interval SECONDS] [--once] [--liq-alert PCT] [--margin-alert PCT]
--                             [--auto-close-margin PCT] [--config FILE] [--env FILE]
--
-- Every --interval seconds (default 60): each venue's equity and margin in use (% of equity),
-- every position with its distance to liquidation (% of mark), and the hedges they form; flags
--   UNHEDGED    a position without an opposite leg on another venue (naked),
--   IMBALANCED  legs whose sizes differ by more than leg_imbalance_tolerance_pct,
--   NEAR LIQUIDATION  a leg closer than --liq-alert % (default alerts.margin_distance_pct, 10),
--   HIGH MARGIN a venue using more than --margin-alert % of its equity (default 50).
-- Flags are sent as alerts (configuration `alerts`, rate-limited). With --auto-close-margin PCT,
-- a venue whose margin in use reaches PCT % of equity has every symbol it holds closed on every
-- venue (reduce-only, journalled as emergency orders) — the flag is the consent, nothing is asked.
-- --once: one round; exit status 0 when nothing is flagged, 1 when something is, 2 usage errors.
-- Otherwise it runs until SIGINT/SIGTERM; a round that cannot read a venue says so and goes on.
local hedge = require "hedge"
local args = require "tools.args"
local session = require "tools.session"
local emergency = require "tools.emergency"
local view = require "tools.manual_view"
local margin = require "lib.margin"
local T = require "tools.text_table"

local USAGE = [[usage: hedge scripts/monitor.lua [--interval SECONDS] [--once] [--liq-alert PCT] [--margin-alert PCT]
         [--auto-close-margin PCT] [--config FILE] [--env FILE]
  --interval S            seconds between rounds (default 60)
  --once                  one round; exit 1 when something is flagged
  --liq-alert PCT         flag a leg closer than PCT % of its mark to liquidation (default alerts.margin_distance_pct or 10)
  --margin-alert PCT      flag a venue using more than PCT % of its equity as margin (default 50)
  --auto-close-margin PCT close every symbol held on a venue whose margin use reaches PCT % (default: never)]]

local SPEC = args.with_common {
  { "--interval", "interval", value = "SECONDS", number = { 0.1, 86400 } },
  { "--once", "once" },
  { "--liq-alert", "liq_alert", value = "PCT", number = { 0.01, 100 } },
  { "--margin-alert", "margin_alert", value = "PCT", number = { 0.01, 1000 } },
  { "--auto-close-margin", "auto_close", value = "PCT", number = { 0.01, 1000 } },
}

-- One round: read, judge, print, alert. -> flags (list of texts), symbols to close (list)
local function round(M, opts, alerts)
  local accounts, failed = view.read_accounts(M)
  local flags, close_symbols, lines = {}, {}, {}
  local ratios, positions_by = {}, {}
  local stamp = os.date("!%Y-%m-%d %H:%M:%S UTC", math.floor(hedge.now_ms() / 1000))
  for _, n in ipairs(M.s.names) do
    local a = accounts[n]
    if a then
      positions_by[n] = a.positions
      local r = margin.margin_ratio(a.balance)
      ratios[#ratios + 1] = ("%s %s"):format(n, r and ("%.1f%%"):format(r) or "?")
      if r and r > opts.margin_alert then
        flags[#flags + 1] = ("HIGH MARGIN %s: %.1f%% of equity in use (flag above %g%%)"):format(n, r, opts.margin_alert)
        alerts:raise("margin", { venue = n, message = flags[#flags] })
      end
      if r and opts.auto_close and r >= opts.auto_close then
        for _, p in ipairs(a.positions) do
          if p.size and p.size:sign() > 0 then close_symbols[p.symbol] = ("%s margin %.1f%% >= %g%%"):format(n, r, opts.auto_close) end
        end
      end
    else
      ratios[#ratios + 1] = n .. " unreadable"
      lines[#lines + 1] = ("  %s could not be read: %s"):format(n, tostring(failed[n]))
    end
  end
  for n, why in pairs(M.s.unusable) do lines[#lines + 1] = ("  %s is not usable: %s"):format(n, tostring(why)) end
  print(("%s  margin in use: %s%s"):format(stamp, table.concat(ratios, ", "),
    opts.auto_close and (" (auto-close at %g%%)"):format(opts.auto_close) or ""))
  local g = margin.group(positions_by, { tolerance_pct = M.cfg.leg_imbalance_tolerance_pct })
  local rows = {}
  for _, sym in ipairs(g.symbols) do
    local pair = g.pairs[sym]
    local legs = pair and pair.legs or {}
    if not pair then
      for _, leg in ipairs(g.naked) do if leg.symbol == sym then legs[#legs + 1] = leg end end
    end
    local status
    if not pair then status = "UNHEDGED"
    elseif pair.complex then status = pair.hedged and "hedged" or ("IMBALANCED net " .. tostring(pair.net))
    else status = pair.hedged and "hedged" or ("IMBALANCED by %.2f%%"):format(pair.imbalance_pct) end
    for _, leg in ipairs(legs) do
      local d = margin.liquidation_distance_pct(leg.position)
      local near = d and d < opts.liq_alert
      rows[#rows + 1] = { sym, leg.venue, leg.side, leg.size, leg.position.mark_price, leg.position.liquidation_price and d and
        tostring(leg.position.liquidation_price), d and ("%.1f%%"):format(d), leg.position.unrealized_pnl and T.money(leg.position.unrealized_pnl),
        near and (status .. ", NEAR LIQUIDATION") or status }
      if near then
        flags[#flags + 1] = ("NEAR LIQUIDATION %s %s on %s: %.2f%% from %s"):format(sym, leg.side, leg.venue, d, tostring(leg.position.liquidation_price))
        alerts:raise("margin", { symbol = sym, venue = leg.venue, message = flags[#flags] })
      end
    end
    if not pair then
      flags[#flags + 1] = ("UNHEDGED %s: %s"):format(sym, legs[1] and (legs[1].side .. " " .. tostring(legs[1].size) .. " on " .. legs[1].venue) or "")
      alerts:raise("naked_leg", { symbol = sym, venue = legs[1] and legs[1].venue, message = flags[#flags] .. " has no opposite leg" })
    elseif not pair.hedged then
      flags[#flags + 1] = ("IMBALANCED %s: legs %s"):format(sym, pair.complex and ("net " .. tostring(pair.net)) or
        ("differ by %.2f%% (%s long on %s, %s short on %s)"):format(pair.imbalance_pct, tostring(pair.long.size), pair.long.venue,
          tostring(pair.short.size), pair.short.venue))
      alerts:raise("imbalance", { symbol = sym, message = flags[#flags] })
    end
  end
  if #rows == 0 then
    print("  no positions")
  else
    for _, l in ipairs(T.render({ { "symbol" }, { "venue" }, { "side" }, { "size", align = "right" }, { "mark", align = "right" },
      { "liq. price", align = "right" }, { "distance", align = "right" }, { "uPnL", align = "right" }, { "status" } }, rows)) do
      print("  " .. l)
    end
  end
  for _, l in ipairs(lines) do print(l) end
  for _, f in ipairs(flags) do print("  FLAG " .. f) end
  local to_close = {}
  for sym in pairs(close_symbols) do to_close[#to_close + 1] = sym end
  table.sort(to_close)
  return flags, to_close, close_symbols, #lines > 0
end

local function auto_close(M, symbols, why, alerts)
  local j, jerr = session.journal(M.s, "write")
  if not j then j = session.null_journal(tostring(jerr)) end
  local all_ok = true
  for _, sym in ipairs(symbols) do
    print(("  AUTO-CLOSE %s: %s"):format(sym, why[sym]))
    j:event("monitor_auto_close", { symbol = sym, reason = why[sym] })
    local report = emergency.run(M.s, j, { symbol = sym, attempts = M.cfg.close_attempts + 2, slippage_bps = 100,
      fill_wait = M.cfg.fill_wait_seconds, reconcile_seconds = M.cfg.reconcile_seconds })
    for _, l in ipairs(emergency.report_lines(report)) do print("    " .. l) end
    if not report.ok then
      all_ok = false
      alerts:raise("failed_unwind", { symbol = sym, message = ("monitor auto-close of %s did not finish (%s)"):format(sym, why[sym]) })
    end
  end
  j:close()
  return all_ok
end

local function main(...)
  local opts, rest = args.parse({ ... }, SPEC, USAGE)
  if not opts then return 0 end
  if #rest > 0 then args.fail("unexpected argument '" .. rest[1] .. "'\n" .. USAGE) end
  local s = session.open { config = opts.config, env = opts.env, strict = false }
  local alerts = require("lib.alerts").new(s.cfg.alerts)
  opts.liq_alert = opts.liq_alert or alerts.margin_distance_pct or 10
  opts.margin_alert = opts.margin_alert or 50
  local M = { s = s, cfg = s.cfg }
  hedge.trap_signals()
  local worst = 0
  while true do
    local flags, to_close, why, unreadable = round(M, opts, alerts)
    if #to_close > 0 and not auto_close(M, to_close, why, alerts) then worst = 1 end
    if #flags > 0 or unreadable then worst = 1 end
    if opts.once then break end
    if not hedge.sleep_unless_stopped(opts.interval or 60) then break end
    print("")
  end
  alerts:flush(10)
  session.close(s)
  return opts.once and worst or 0
end

args.run("monitor", main, ...)
