-- The manual commands that trade: open, close, leverage, test. They go through the bot's own
-- code and journal — bot/execution.lua opens (both legs built first, sent in one round,
-- journalled before sending, a failed leg unwound), tools/emergency.lua closes reduce-only until
-- flat — and respect the ownership lock (tools/ownership.lua). Orders are sent only after a
-- confirmation, or with yes = true (--yes); without a terminal and without yes they refuse.
-- Each returns true, or nil, message (the message says what is left open, if anything).
local hedge = require "hedge"
local D = require "hedge.decimal"
local analysis = require "bot.analysis"
local sizing = require "bot.sizing"
local execution = require "bot.execution"
local monitor = require "bot.monitor"
local common = require "select.common"
local ownership = require "tools.ownership"
local session = require "tools.session"
local prompt = require "tools.prompt"
local emergency = require "tools.emergency"
local view = require "tools.manual_view"
local T = require "tools.text_table"

local trade = {}

local ZERO = D("0")

-- A shallow copy that keeps the metatable (selection rows read the candidate through __index).
local function copy(t)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  return setmetatable(out, getmetatable(t))
end

local function confirm(question, opts)
  if opts.yes then return true end
  if not prompt.interactive() then
    return nil, "not confirmed: no terminal to ask on; add --yes (yes = true in the REPL) to send without asking"
  end
  local yes, why = prompt.confirm(question)
  if not yes then return nil, "not confirmed (" .. tostring(why) .. "): nothing was sent" end
  return true
end

local function open_journal(M)
  local j, err = session.journal(M.s, "write")
  if not j then return nil, "the journal (" .. M.cfg.state_db .. ") cannot be written: " .. tostring(err) ..
    "; nothing was sent (scripts/emergency_close.lua works without it)" end
  return j
end

-- The pair to trade: the ranked row for the symbol, or the venues the operator named.
local function choose_pair(snap, rows, symbol, opts)
  local listing = {}
  for _, n in ipairs(snap.venue_names) do
    if snap.venues[n].markets[symbol] then listing[#listing + 1] = n end
  end
  for _, v in ipairs { opts.long, opts.short } do
    if v and not snap.venues[v] then return nil, ("venue %s is not configured or did not answer"):format(v) end
    if v and not snap.venues[v].markets[symbol] then return nil, ("%s does not list %s"):format(v, symbol) end
  end
  if opts.long and opts.short and opts.long == opts.short then return nil, "--long and --short name the same venue" end
  if #listing < 2 then return nil, ("%s is listed on fewer than two venues that answered (%s)"):format(symbol, table.concat(listing, ", ")) end
  for _, r in ipairs(rows) do
    if r.symbol == symbol and (not opts.long or r.long_venue == opts.long) and (not opts.short or r.short_venue == opts.short) then
      return r
    end
  end
  -- The operator asked for the direction funding does not favour: build it.
  local function rate(v) return snap.venues[v].funding[symbol] end
  local lv, sv = opts.long, opts.short
  local function best_other(exclude, highest)
    local pick
    for _, n in ipairs(listing) do
      local f = rate(n)
      if n ~= exclude and f and (not pick or (highest and f.rate_per_hour > rate(pick).rate_per_hour)
          or (not highest and f.rate_per_hour < rate(pick).rate_per_hour)) then pick = n end
    end
    return pick
  end
  lv = lv or best_other(sv, false)
  sv = sv or best_other(lv, true)
  if not lv or not sv or not rate(lv) or not rate(sv) then return nil, "no funding rate for " .. symbol .. " on the chosen venues" end
  local c = { symbol = symbol, long_venue = lv, short_venue = sv, long_funding = rate(lv), short_funding = rate(sv) }
  c.spread_per_hour = c.short_funding.rate_per_hour - c.long_funding.rate_per_hour
  c.gross_apr = c.spread_per_hour * 8760
  return common.describe(c)
end

local function minimums(c, snap, size, price)
  for _, v in ipairs { c.long_venue, c.short_venue } do
    local m = snap.venues[v].markets[c.symbol]
    if m.min_size and size < m.min_size then return ("size %s is below %s's minimum %s"):format(tostring(size), v, tostring(m.min_size)) end
    local notional = size * price
    if m.min_notional and notional < m.min_notional then
      return ("notional $%s is below %s's minimum $%s"):format(T.money(notional), v, tostring(m.min_notional))
    end
  end
  return nil
end

-- The plan for the requested size, never above what the balances carry.
local function plan_for(c, snap, cfg, opts)
  local uncapped = copy(cfg)
  uncapped.notional_per_position, uncapped.base_capital_allocation = nil, nil
  local max, why = sizing.plan(c, snap, uncapped)
  if not max then return nil, why end
  if opts.size_base then
    local ml, ms = snap.venues[c.long_venue].markets[c.symbol], snap.venues[c.short_venue].markets[c.symbol]
    local size = sizing.floor_to_both(D(opts.size_base), ml.step, ms.step)
    if not size or size:sign() <= 0 then
      return nil, ("size %s is less than one size step (%s / %s)"):format(opts.size_base, tostring(ml.step), tostring(ms.step))
    end
    if size > max.size then return nil, ("size %s is more than the balances carry (at most %s; see capacity)"):format(tostring(size), tostring(max.size)) end
    local problem = minimums(c, snap, size, max.price)
    if problem then return nil, problem end
    local plan = copy(max)
    plan.size, plan.notional = size, size * max.price
    return plan
  end
  if opts.size_quote then
    local want = D(opts.size_quote)
    if want > max.notional then
      return nil, ("$%s is more than the balances carry (at most $%s; see capacity)"):format(T.money(want), T.money(max.notional))
    end
    local capped = copy(uncapped)
    capped.notional_per_position = opts.size_quote
    return sizing.plan(c, snap, capped)
  end
  return sizing.plan(c, snap, cfg)   -- the bot's own size
end

local function describe_plan(c, plan, cfg, opts)
  local lines = {
    ("open a hedge on %s"):format(c.symbol),
    ("  long  %-9s mid %-12s funding APR %s"):format(c.long_venue, tostring(plan.long_mid), T.pct(c.long_funding.apr)),
    ("  short %-9s mid %-12s funding APR %s"):format(c.short_venue, tostring(plan.short_mid), T.pct(c.short_funding.apr)),
    ("  size %s %s on each leg, notional about $%s, leverage %dx (%s), %s"):format(tostring(plan.size), c.symbol,
      T.money(plan.notional), cfg.leverage, cfg.margin_mode,
      cfg.order_style == "limit_cross" and ("IOC limits " .. (opts.cross_ticks or cfg.cross_ticks) .. " ticks through the book")
        or ("market orders, slippage cap " .. cfg.slippage_bps .. " bps")),
  }
  if c.expected_net_usd then
    lines[#lines + 1] = ("  over %g h: funding $%s - fees $%s - slippage $%s = net $%s (net APR %s, break-even %s)"):format(
      cfg.hold_duration_hours, T.money(c.carry_usd), T.money(c.fees_usd), T.money(c.slippage_usd), T.money(c.expected_net_usd),
      T.pct(c.net_apr), T.pct(c.break_even_apr))
  elseif c.economics_error then
    lines[#lines + 1] = "  costs unknown: " .. c.economics_error
  end
  if c.filter_reason then lines[#lines + 1] = "  note: the bot's filters refuse this pair: " .. c.filter_reason end
  if c.expected_net_usd and c.expected_net_usd <= 0 then
    lines[#lines + 1] = ("  note: at this size the hedge is expected to lose $%s over the hold"):format(T.money(-c.expected_net_usd))
  end
  return lines
end

-- open(M, symbol, {size_quote, size_base, cross_ticks, long, short, yes, force})
function trade.open(M, symbol, opts)
  opts = opts or {}
  if opts.size_quote and opts.size_base then return nil, "give size_quote or size_base, not both" end
  local own = ownership.read(M.s)
  local allowed, notes = ownership.check(M.s, own, "open", symbol, opts)
  if not allowed then return nil, notes end
  local snap, rows, cfg = view.snapshot(M, { symbol })
  if not snap then return nil, rows end
  local row, why = choose_pair(snap, rows, symbol, opts)
  if not row then return nil, why end
  local c = copy(row)
  local plan, perr = plan_for(c, snap, cfg, opts)
  if not plan then return nil, perr end
  c.filter_reason = common.filter(snap, c, cfg)
  local econ = common.economics(snap, c, plan, cfg)
  if econ then c.economics_error = econ end
  local run_cfg = copy(cfg)
  if opts.cross_ticks then run_cfg.cross_ticks, run_cfg.order_style = opts.cross_ticks, "limit_cross" end
  for _, l in ipairs(describe_plan(c, plan, run_cfg, opts)) do print(l) end
  for _, n in ipairs(notes) do print("  note: " .. n) end
  local ok, cerr = confirm("Send both orders?", opts)
  if not ok then return nil, cerr end
  local j, jerr = open_journal(M)
  if not j then return nil, jerr end
  local markets = {}
  for n, v in pairs(snap.venues) do markets[n] = v.markets end
  local ctx = { venues = M.s.venues, journal = j, config = run_cfg, log = hedge.log, markets = markets }
  local books = { [c.long_venue] = snap.venues[c.long_venue].books[symbol], [c.short_venue] = snap.venues[c.short_venue].books[symbol] }
  local t0 = hedge.mono_ms()
  local h, err = execution.open(ctx, c, plan, books)
  if not h then
    j:event("manual_open_failed", { symbol = symbol, long_venue = c.long_venue, short_venue = c.short_venue, reason = tostring(err) })
    j:close()
    if err and err.naked then
      local msg = ("UNHEDGED: %s is still open on %s after a failed open: %s"):format(symbol, table.concat(err.naked, ", "), tostring(err))
      M.alerts:raise("failed_unwind", { symbol = symbol, venue = err.naked[1], message = msg })
      return nil, msg .. " — close it now: close(\"" .. symbol .. "\") or scripts/emergency_close.lua --symbol " .. symbol
    end
    if err and err.filled_alone and #err.filled_alone > 0 then
      M.alerts:raise("naked_leg", { symbol = symbol, venue = err.filled_alone[1],
        message = ("manual open of %s: the leg on %s filled alone and was unwound (%s)"):format(symbol,
          table.concat(err.filled_alone, ", "), tostring(err.msg)) })
    end
    return nil, "not opened: " .. tostring(err)
  end
  h.owner = "manual"
  h.long_equity_before = snap.venues[c.long_venue].balance.equity
  h.short_equity_before = snap.venues[c.short_venue].balance.equity
  h.short_interval_ms = c.short_funding.interval_ms
  h.target_close_ms = monitor.target_close_ms(h, cfg, h.short_interval_ms)
  local where
  if notes.journal_hedge then
    j:set_hedge(h)
    where = "journalled as the current hedge (owner manual): the bot adopts it at its next start" ..
      (cfg.manual_hedge_policy == "refuse" and " — no: manual_hedge_policy is \"refuse\", the bot will halt on it" or "")
  else
    where = "journalled as orders and events only (see the notes above)"
  end
  j:event("manual_open", { symbol = symbol, long_venue = h.long_venue, short_venue = h.short_venue,
    long_size = tostring(h.long_size), short_size = tostring(h.short_size), journalled_hedge = notes.journal_hedge == true })
  j:close()
  print(("opened %s in %d ms: long %s on %s at %s, short %s on %s at %s"):format(symbol, hedge.mono_ms() - t0,
    tostring(h.long_size), h.long_venue, tostring(h.long_entry), tostring(h.short_size), h.short_venue, tostring(h.short_entry)))
  print(where)
  return true, h
end

-- close(M, symbol, {yes, force}): every position and order on symbol, reduce-only, until flat.
function trade.close(M, symbol, opts)
  opts = opts or {}
  local own = ownership.read(M.s)
  local allowed, notes = ownership.check(M.s, own, "close", symbol, opts)
  if not allowed then return nil, notes end
  local scan = emergency.scan(M.s, { symbol = symbol })
  local lines, npos, norders = emergency.listing(scan)
  local unreadable = next(M.s.unusable) ~= nil
  for _, n in ipairs(M.s.names) do if scan.venues[n].err then unreadable = true end end
  local journal_hedge = own.hedge and own.hedge.symbol == symbol and not own.bot.running
  if npos == 0 and norders == 0 and not unreadable then
    print("nothing open on " .. symbol)
    if journal_hedge then
      local j = open_journal(M)
      if j then j:clear_hedge("flat when closed by hand"); j:close(); print("cleared the journal's hedge on " .. symbol) end
    end
    return true
  end
  for _, l in ipairs(lines) do print(l) end
  for _, n in ipairs(notes) do print("note: " .. n) end
  local ok, cerr = confirm(("Close %d position(s) and cancel %d order(s) on %s?"):format(npos, norders, symbol), opts)
  if not ok then return nil, cerr end
  local j, jerr = open_journal(M)
  if not j then return nil, jerr end
  j:event("manual_close_started", { symbol = symbol, positions = npos, orders = norders })
  local cfg = M.cfg
  local report = emergency.run(M.s, j, { symbol = symbol, purpose = "close", attempts = cfg.close_attempts + 2,
    slippage_bps = cfg.slippage_bps, fill_wait = cfg.fill_wait_seconds, reconcile_seconds = cfg.reconcile_seconds })
  local summary = emergency.summary(report)
  summary.symbol = symbol
  j:event("manual_close", summary)
  if report.ok and journal_hedge then
    -- The bot is stopped: its record says nothing is held now (its next start finds it flat).
    j:clear_hedge("closed by hand")
    local st = j:state()
    j:set_state({ state = "IDLE", cycle = st.cycle or 0 })
  end
  j:close()
  for _, l in ipairs(emergency.report_lines(report)) do print(l) end
  if not report.ok then return nil, symbol .. " is not entirely closed (see above)" end
  if journal_hedge then print("the journal's hedge on " .. symbol .. " is closed") end
  return true
end

-- leverage(M, symbol, n, {venue, force}): sets leverage (and the configured margin mode).
function trade.leverage(M, symbol, n, opts)
  opts = opts or {}
  if type(n) ~= "number" or n % 1 ~= 0 or n < 1 or n > 100 then return nil, "leverage must be a whole number from 1 to 100" end
  local own = ownership.read(M.s)
  local allowed, notes = ownership.check(M.s, own, "leverage", symbol, opts)
  if not allowed then return nil, notes end
  local names = opts.venue and { opts.venue } or M.s.names
  local fns = {}
  for i, name in ipairs(names) do
    local client = M.s.venues[name]
    if not client then return nil, "venue " .. name .. " is not usable: " .. tostring(M.s.unusable[name] or "not configured") end
    fns[i] = function() return client:set_leverage(symbol, n, M.cfg.margin_mode) end
  end
  local results, errs = hedge.parallel(unpack(fns))
  local failed = 0
  for i, name in ipairs(names) do
    if errs[i] then failed = failed + 1 end
    print(("%-9s %s"):format(name, errs[i] and ("failed: " .. tostring(errs[i])) or
      ("%s %dx (%s margin)"):format(symbol, n, M.cfg.margin_mode)))
    local _ = results[i]
  end
  for _, note in ipairs(notes) do print("note: " .. note) end
  if M.cfg.leverage ~= n then
    print(("note: the bot sets leverage %dx (its configuration) before every open"):format(M.cfg.leverage))
  end
  if failed > 0 then return nil, ("leverage not set on %d venue(s)"):format(failed) end
  return true
end

-- The smallest size both venues accept: above each minimum size and notional, on both steps.
local function smallest_size(c, snap, price)
  local ml, ms = snap.venues[c.long_venue].markets[c.symbol], snap.venues[c.short_venue].markets[c.symbol]
  local size = D.max(ml.step, ms.step)
  if ml.min_size then size = D.max(size, ml.min_size) end
  if ms.min_size then size = D.max(size, ms.min_size) end
  local min_notional = ZERO
  for _, m in ipairs { ml, ms } do if m.min_notional then min_notional = D.max(min_notional, m.min_notional) end end
  if min_notional:sign() > 0 then
    -- 2 % above the minimum notional, so that a price tick between reading and filling does not refuse it.
    size = D.max(size, (min_notional * D("1.02")):div(price, 18, "ceil"))
  end
  for _ = 1, 64 do
    local next_size = size:ceil_to(ml.step):ceil_to(ms.step)
    if next_size == size then return size end
    size = next_size
  end
  return nil
end

-- test(M, {symbol, yes, hold}): a minimum-size hedge opened, held `hold` seconds, closed, reported.
function trade.test(M, opts)
  opts = opts or {}
  local snap, rows, cfg = view.snapshot(M, opts.symbol and { opts.symbol } or nil)
  if not snap then return nil, rows end
  -- The best eligible pair (of the symbol when given); else the first that passes the bot's
  -- liquidity and price filters (a test must not land on a thin book); else the best-ranked one.
  local row, passing
  for _, r in ipairs(rows) do
    if not opts.symbol or r.symbol == opts.symbol then
      if r.eligible then row = r; break end
      if not passing and not common.filter(snap, copy(r), cfg) then passing = r end
      row = row or r
    end
  end
  if row and not row.eligible and passing then row = passing end
  if not row then return nil, "no pair to test" .. (opts.symbol and (" on " .. opts.symbol) or "") end
  local symbol = row.symbol
  local own = ownership.read(M.s)
  local allowed, notes = ownership.check(M.s, own, "open", symbol, opts)
  if not allowed then return nil, notes end
  local c = copy(row)
  local price = (analysis.mid(snap, c.long_venue, symbol) + analysis.mid(snap, c.short_venue, symbol)):div(D("2"), 12, "half_even")
  local size = smallest_size(c, snap, price)
  if not size then return nil, "no size fits both venues' steps" end
  local plan = { size = size, notional = size * price, price = price, long_mid = analysis.mid(snap, c.long_venue, symbol),
    short_mid = analysis.mid(snap, c.short_venue, symbol) }
  print(("test: open and close the smallest %s hedge both venues accept — %s %s (about $%s), long %s, short %s, held %g s"):format(
    symbol, tostring(size), symbol, T.money(plan.notional), c.long_venue, c.short_venue, opts.hold or 2))
  for _, n in ipairs(notes) do print("  note: " .. n) end
  local ok, cerr = confirm("Run the test (two orders to open, two to close)?", opts)
  if not ok then return nil, cerr end
  local j, jerr = open_journal(M)
  if not j then return nil, jerr end
  local markets = {}
  for n, v in pairs(snap.venues) do markets[n] = v.markets end
  local ctx = { venues = M.s.venues, journal = j, config = cfg, log = hedge.log, markets = markets }
  local before = { [c.long_venue] = snap.venues[c.long_venue].balance.equity, [c.short_venue] = snap.venues[c.short_venue].balance.equity }
  j:event("manual_test", { symbol = symbol, long_venue = c.long_venue, short_venue = c.short_venue, size = tostring(size) })
  local t0 = hedge.mono_us()
  local h, err = execution.open(ctx, c, plan, { [c.long_venue] = snap.venues[c.long_venue].books[symbol],
    [c.short_venue] = snap.venues[c.short_venue].books[symbol] })
  local open_ms = (hedge.mono_us() - t0) / 1000
  local report = { ("test %s %s/%s size %s"):format(symbol, c.long_venue, c.short_venue, tostring(size)) }
  if h then
    report[#report + 1] = ("  opened in %.0f ms: long %s at %s, short %s at %s"):format(open_ms, tostring(h.long_size),
      tostring(h.long_entry), tostring(h.short_size), tostring(h.short_entry))
    hedge.sleep(opts.hold or 2)
  else
    report[#report + 1] = "  open failed: " .. tostring(err)
  end
  local t1 = hedge.mono_us()
  local closed = emergency.run(M.s, j, { symbol = symbol, purpose = "close", attempts = cfg.close_attempts + 2,
    slippage_bps = cfg.slippage_bps, fill_wait = cfg.fill_wait_seconds, reconcile_seconds = cfg.reconcile_seconds })
  report[#report + 1] = ("  close %s in %.0f ms"):format(closed.ok and "done" or "INCOMPLETE", (hedge.mono_us() - t1) / 1000)
  j:event("manual_test_done", { symbol = symbol, opened = h ~= nil, closed = closed.ok })
  j:close()
  local results = hedge.parallel(function() return M.s.venues[c.long_venue]:balance() end,
    function() return M.s.venues[c.short_venue]:balance() end)
  if results[1] and results[2] and before[c.long_venue] and before[c.short_venue] then
    local dl = results[1].equity - before[c.long_venue]
    local ds = results[2].equity - before[c.short_venue]
    report[#report + 1] = ("  equity change: %s %s, %s %s, total %s (fees, spread and price moves)"):format(c.long_venue,
      T.money(dl, 4), c.short_venue, T.money(ds, 4), T.money(dl + ds, 4))
  end
  if not closed.ok then
    for _, l in ipairs(emergency.report_lines(closed)) do report[#report + 1] = "  " .. l end
  end
  report[#report + 1] = (h and closed.ok) and "  PASSED: both venues opened and closed the hedge" or "  FAILED (see above)"
  for _, l in ipairs(report) do print(l) end
  if h and closed.ok then return true end
  return nil, h and "the test hedge is not entirely closed" or ("the test hedge did not open: " .. tostring(err))
end

return trade
