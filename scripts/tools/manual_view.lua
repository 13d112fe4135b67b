-- The read-only manual commands: funding_all, funding, capacity, status. Each prints a report
-- (through print, which the REPL keeps off its prompt line) and returns true, or nil, message.
--
-- M is the manual session (tools/manual.lua): {s = tools.session, cfg, selection}.
-- Rankings come from the bot's own analysis round (bot/analysis.lua) and its selection script
-- (bot/selection.lua), so "best" here is what the bot would pick.
local hedge = require "hedge"
local D = require "hedge.decimal"
local analysis = require "bot.analysis"
local sizing = require "bot.sizing"
local margin = require "lib.margin"
local ownership = require "tools.ownership"
local T = require "tools.text_table"

local view = {}

local function copy(t)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  return out
end

-- One analysis round and the selection's ranking: snap, rows | nil, message.
function view.snapshot(M, symbols)
  local cfg = copy(M.cfg)
  if symbols then cfg.symbols_to_monitor = symbols end
  local snap, err = analysis.run(M.s.venues, cfg)
  if not snap then return nil, tostring(err) end
  local ctx = { plan = function(c) return sizing.plan(c, snap, cfg) end }
  local rows = analysis.rank(snap, function() return M.selection.rank(snap, cfg, ctx) end, cfg)
  return snap, rows, cfg
end

local function apr(f) return f and T.pct(f.apr, 2) or "-" end

local function problems(snap)
  local lines = {}
  local names = {}
  for name in pairs(snap.failed) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do lines[#lines + 1] = ("UNREADABLE %s: %s"):format(name, tostring(snap.failed[name])) end
  local ex = {}
  for sym, why in pairs(snap.excluded) do ex[#ex + 1] = sym .. " (" .. why .. ")" end
  table.sort(ex)
  if #ex > 0 then lines[#lines + 1] = "not compared: " .. table.concat(ex, ", ") end
  return lines
end

local function venues_of(M)
  local names = {}
  for _, n in ipairs(M.s.names) do names[#names + 1] = n end
  return names
end

-- funding_all: one row per symbol with every venue's APR and the best pair after costs.
function view.funding_all(M, symbols)
  local snap, rows = view.snapshot(M, symbols)
  if not snap then return nil, rows end
  local best = {}
  for _, r in ipairs(rows) do best[r.symbol] = best[r.symbol] or r end
  local names = venues_of(M)
  local columns = { { "symbol" } }
  for _, n in ipairs(names) do columns[#columns + 1] = { n .. " APR", align = "right" } end
  for _, c in ipairs { { "best long / short" }, { "gross APR", align = "right" }, { "net APR", align = "right" },
    { "net $", align = "right" }, { "note" } } do columns[#columns + 1] = c end
  local out = {}
  for _, sym in ipairs(snap.universe) do
    local row = { sym }
    for _, n in ipairs(names) do
      local v = snap.venues[n]
      row[#row + 1] = v and (v.markets[sym] and apr(v.funding[sym]) or "-") or "?"
    end
    local b = best[sym]
    row[#row + 1] = b and (b.long_venue .. " / " .. b.short_venue) or "-"
    row[#row + 1] = b and T.pct(b.gross_apr) or "-"
    row[#row + 1] = b and b.net_apr and T.pct(b.net_apr) or "-"
    row[#row + 1] = b and b.expected_net_usd and T.money(b.expected_net_usd) or "-"
    row[#row + 1] = b and (b.eligible and "★ eligible" or b.reason) or "no pair"
    out[#out + 1] = row
  end
  print(("funding, annualised (APR = rate per hour × 8760); net = after round-trip taker fees and slippage over %g h"):format(M.cfg.hold_duration_hours))
  T.print(T.render(columns, out))
  local top = rows[1]
  if top and top.eligible then
    print(("best: %s long on %s, short on %s — net %s APR, about $%s over the hold"):format(top.symbol, top.long_venue,
      top.short_venue, T.pct(top.net_apr), T.money(top.expected_net_usd)))
  else
    print("best: nothing eligible" .. (top and (" (top candidate: " .. tostring(top.reason) .. ")") or ""))
  end
  T.print(problems(snap))
  return true
end

local function when(ms)
  if not ms then return "-" end
  local left = math.max(0, math.floor((ms - hedge.now_ms()) / 1000))
  return os.date("!%H:%M UTC", math.floor(ms / 1000)) .. (" (in %dh%02dm)"):format(math.floor(left / 3600), math.floor(left / 60) % 60)
end

-- funding SYMBOL: each venue's rate at its own interval, and every pair with its costs.
function view.funding(M, symbol)
  local snap, rows = view.snapshot(M, { symbol })
  if not snap then return nil, rows end
  local per_venue = {}
  for _, n in ipairs(venues_of(M)) do
    local v = snap.venues[n]
    local f = v and v.funding[symbol]
    if v and v.markets[symbol] and f then
      per_venue[#per_venue + 1] = { n, ("%.6f%%"):format(f.rate * 100), ("%gh"):format(f.interval_ms / 3600000),
        ("%.6f%%"):format(f.rate_per_hour * 100), T.pct(f.apr), when(f.next_funding_ms), f.mark, f.index }
    else
      per_venue[#per_venue + 1] = { n, v and "not listed" or "unreadable" }
    end
  end
  print(symbol .. " funding per venue (each at its own interval; positive: longs pay shorts)")
  T.print(T.render({ { "venue" }, { "rate", align = "right" }, { "interval", align = "right" }, { "per hour", align = "right" },
    { "APR", align = "right" }, { "next settlement" }, { "mark", align = "right" }, { "index", align = "right" } }, per_venue))
  local pairs_rows = {}
  for _, r in ipairs(rows) do
    if r.symbol == symbol then
      pairs_rows[#pairs_rows + 1] = { r.long_venue .. " / " .. r.short_venue, T.pct(r.gross_apr), r.fees_usd and T.money(r.fees_usd),
        r.slippage_usd and T.money(r.slippage_usd), r.expected_net_usd and T.money(r.expected_net_usd), r.net_apr and T.pct(r.net_apr),
        r.break_even_apr and T.pct(r.break_even_apr), r.plan and tostring(r.plan.size), r.eligible and "eligible" or r.reason }
    end
  end
  print("")
  print(("pairs (long / short), over a %g h hold at the bot's size"):format(M.cfg.hold_duration_hours))
  if #pairs_rows == 0 then
    print("  none: " .. symbol .. " is not listed on two venues that answered")
  else
    T.print(T.render({ { "long / short" }, { "gross APR", align = "right" }, { "fees $", align = "right" },
      { "slippage $", align = "right" }, { "net $", align = "right" }, { "net APR", align = "right" },
      { "break-even", align = "right" }, { "size", align = "right" }, { "status" } }, pairs_rows))
  end
  T.print(problems(snap))
  return true
end

-- capacity: what each venue can carry and the largest hedge per symbol (both legs, both steps).
function view.capacity(M)
  local cfg = copy(M.cfg)
  cfg.notional_per_position, cfg.base_capital_allocation = nil, nil   -- no cap: the balances decide
  local snap, err = analysis.run(M.s.venues, cfg)
  if not snap then return nil, tostring(err) end
  local lev = D(tostring(cfg.leverage))
  local bal = {}
  for _, n in ipairs(snap.venue_names) do
    local b = snap.venues[n].balance
    bal[#bal + 1] = { n, T.money(b.equity), T.money(b.available), cfg.leverage .. "x",
      b.available and T.money(b.available * lev * D("0.95")) or "-" }
  end
  print(("balances (buying power = available × leverage × 0.95, as the bot sizes)"))
  T.print(T.render({ { "venue" }, { "equity", align = "right" }, { "available", align = "right" }, { "leverage", align = "right" },
    { "buying power", align = "right" } }, bal))
  local best = {}
  for _, c in ipairs(snap.candidates) do
    if not best[c.symbol] or c.gross_apr > best[c.symbol].gross_apr then best[c.symbol] = c end
  end
  local out = {}
  for _, sym in ipairs(snap.universe) do
    local c = best[sym]
    if c then
      local plan, why = sizing.plan(c, snap, cfg)
      local lv, sv = snap.venues[c.long_venue].balance, snap.venues[c.short_venue].balance
      local limiter = (lv.available and sv.available) and (lv.available < sv.available and c.long_venue or c.short_venue) or "-"
      out[#out + 1] = { sym, c.long_venue .. " / " .. c.short_venue, plan and tostring(plan.price:rescale(4, "half_even")),
        plan and tostring(plan.size), plan and T.money(plan.notional), plan and limiter or why }
    end
  end
  print("")
  print("largest hedge per symbol (the best pair by funding; one size for both legs, on both venues' steps)")
  T.print(T.render({ { "symbol" }, { "long / short" }, { "price", align = "right" }, { "max size", align = "right" },
    { "notional $", align = "right" }, { "limited by" } }, out))
  if cfg.notional_per_position or M.cfg.notional_per_position then
    print(("the bot itself caps a leg at notional_per_position $%s"):format(tostring(M.cfg.notional_per_position)))
  end
  T.print(problems(snap))
  return true
end

local function read_accounts(M)
  local fns = {}
  for i, n in ipairs(M.s.names) do
    local client = M.s.venues[n]
    fns[i] = function()
      local r, e = hedge.parallel(function() return client:balance() end, function() return client:positions() end)
      if e[1] or e[2] then return nil, e[1] or e[2] end
      return { balance = r[1], positions = r[2] }
    end
  end
  local results, errs = {}, {}
  if #fns > 0 then results, errs = hedge.parallel(unpack(fns)) end
  local out, failed = {}, {}
  for i, n in ipairs(M.s.names) do
    if results[i] then out[n] = results[i] else failed[n] = errs[i] end
  end
  return out, failed
end
view.read_accounts = read_accounts

local function dur(ms)
  if not ms then return "-" end
  local s = math.max(0, math.floor(ms / 1000))
  return ("%dh%02dm"):format(math.floor(s / 3600), math.floor(s / 60) % 60)
end

-- status: the bot, the balances, every position, the hedges they form and what looks wrong.
function view.status(M)
  local own = ownership.read(M.s)
  local st = own.state
  print(("bot: %s%s"):format(own.bot.running and ("running (pid " .. (own.bot.pid or "?") .. ")") or "not running",
    st and ("; journal state " .. st.state .. ", cycle " .. tostring(st.cycle or 0) ..
      (st.last_error and (", last error: " .. st.last_error) or "")) or "; no journal yet"))
  if own.hedge then
    local h = own.hedge
    print(("journal's hedge: %s, size %s / %s, opened %s ago%s"):format(ownership.describe(h), tostring(h.long_size),
      tostring(h.short_size), dur(h.opened_at_ms and (hedge.now_ms() - h.opened_at_ms)),
      h.target_close_ms and (", rotation in " .. dur(h.target_close_ms - hedge.now_ms())) or ""))
  end
  if own.journal_error then print("journal unreadable: " .. own.journal_error) end
  local accounts, failed = read_accounts(M)
  local bal, positions_by = {}, {}
  for _, n in ipairs(M.s.names) do
    local a = accounts[n]
    if a then
      local b = a.balance
      local ratio = margin.margin_ratio(b)
      bal[#bal + 1] = { n, T.money(b.equity), T.money(b.available), b.margin_used and T.money(b.margin_used),
        ratio and ("%.1f%%"):format(ratio) }
      positions_by[n] = a.positions
    else
      bal[#bal + 1] = { n, "unreadable: " .. tostring(failed[n]) }
    end
  end
  print("")
  T.print(T.render({ { "venue" }, { "equity", align = "right" }, { "available", align = "right" }, { "margin used", align = "right" },
    { "of equity", align = "right" } }, bal))
  local rows = {}
  for _, n in ipairs(M.s.names) do
    for _, p in ipairs(positions_by[n] or {}) do
      if p.size and p.size:sign() > 0 then
        local d = margin.liquidation_distance_pct(p)
        rows[#rows + 1] = { n, p.symbol, p.side, p.size, p.entry_price, p.mark_price, p.unrealized_pnl and T.money(p.unrealized_pnl),
          p.funding and T.money(p.funding), d and tostring(p.liquidation_price) or nil, d and ("%.1f%%"):format(d) }
      end
    end
  end
  print("")
  if #rows == 0 then
    print("positions: none")
  else
    T.print(T.render({ { "venue" }, { "symbol" }, { "side" }, { "size", align = "right" }, { "entry", align = "right" },
      { "mark", align = "right" }, { "uPnL", align = "right" }, { "funding", align = "right" }, { "liq. price", align = "right" },
      { "liq. distance", align = "right" } }, rows))
  end
  local g = margin.group(positions_by, { tolerance_pct = M.cfg.leg_imbalance_tolerance_pct })
  for _, sym in ipairs(g.symbols) do
    local pair = g.pairs[sym]
    if pair and not pair.complex then
      local pnl = (pair.long.position.unrealized_pnl or D("0")) + (pair.short.position.unrealized_pnl or D("0"))
      print(("hedge %s: long %s on %s, short %s on %s — %s, uPnL %s"):format(sym, tostring(pair.long.size), pair.long.venue,
        tostring(pair.short.size), pair.short.venue, pair.hedged and "hedged" or ("IMBALANCED %.2f%%"):format(pair.imbalance_pct),
        T.money(pnl)))
    elseif pair then
      print(("hedge %s across %d venues, net %s %s"):format(sym, #pair.legs, tostring(pair.net), pair.hedged and "(hedged)" or "(NOT HEDGED)"))
    end
  end
  for _, leg in ipairs(g.naked) do
    print(("WARNING: %s %s %s on %s has no opposite leg (unhedged)"):format(leg.symbol, leg.side, tostring(leg.size), leg.venue))
  end
  return true
end

return view
