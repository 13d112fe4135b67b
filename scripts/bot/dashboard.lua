-- The terminal dashboard: redrawn in place on a terminal, plain log lines otherwise.
--   dashboard.funding_table(rows, current, limit) -> lines   (★ BEST, ◀ CURRENT)
--   dashboard.holding(view) -> lines                          (legs, PnL, stop, time)
--   dashboard.cycle_summary(cycle) -> lines
--   dashboard.show(lines)                                     (screen or log)
local ffi = require "ffi"
local hedge = require "hedge"

local dashboard = {}

pcall(ffi.cdef, "int isatty(int fd);")
local on_terminal = ffi.C.isatty(1) == 1

local function pct(x, digits) return x and ("%." .. (digits or 2) .. "f%%"):format(x * 100) or "-" end
local function usd(x)
  if x == nil then return "-" end
  if type(x) == "cdata" then x = x:to_number() end
  return ("%.2f"):format(x)
end
local function dec(d) return d and tostring(d) or "-" end

local function compact(n)
  if not n then return "-" end
  if n >= 1e9 then return ("%.1fB"):format(n / 1e9) end
  if n >= 1e6 then return ("%.1fM"):format(n / 1e6) end
  if n >= 1e3 then return ("%.1fk"):format(n / 1e3) end
  return ("%.0f"):format(n)
end

local function duration(seconds)
  if not seconds then return "-" end
  seconds = math.max(0, math.floor(seconds))
  return ("%dh%02dm%02ds"):format(math.floor(seconds / 3600), math.floor(seconds / 60) % 60, seconds % 60)
end
dashboard.duration = duration

-- rows: the selection's ranked rows; current: {symbol, long_venue, short_venue} or nil.
function dashboard.funding_table(rows, current, limit)
  local lines = {
    ("%-3s %-8s %-17s %9s %9s %9s %9s %10s %8s %7s  %s"):format(
      "", "symbol", "long / short", "APR long", "APR short", "gross", "net APR", "net $", "volume", "gap", "note"),
  }
  local best_marked = false
  for i = 1, math.min(#rows, limit or 10) do
    local r = rows[i]
    local mark = ""
    if r.eligible and not best_marked then mark, best_marked = "★", true end
    if current and r.symbol == current.symbol and r.long_venue == current.long_venue and r.short_venue == current.short_venue then
      mark = mark .. "◀"
    end
    lines[#lines + 1] = ("%-3s %-8s %-17s %9s %9s %9s %9s %10s %8s %7s  %s"):format(
      mark, r.symbol, r.long_venue .. "/" .. r.short_venue, pct(r.long_apr), pct(r.short_apr), pct(r.gross_apr),
      r.net_apr and pct(r.net_apr) or "-", r.expected_net_usd and usd(r.expected_net_usd) or "-",
      compact(r.min_volume), r.gap_pct and (dec(r.gap_pct) .. "%") or "-",
      r.eligible and (r.plan and ("size " .. dec(r.plan.size)) or "") or (r.reason or ""))
  end
  lines[#lines + 1] = "★ BEST = first to be tried   ◀ CURRENT = held now   net = after round-trip taker fees and slippage"
  return lines
end

-- view = {state, cycle, hedge = h, status = monitor status, balances = {venue = balance}, config}
function dashboard.holding(view)
  local h, st = view.hedge, view.status or {}
  local lines = { ("state %s   cycle %d   %s"):format(view.state, view.cycle or 0, os.date("!%Y-%m-%d %H:%M:%S UTC", math.floor((view.now_ms or hedge.now_ms()) / 1000))) }
  if h then
    lines[#lines + 1] = ("holding %s: long %s %s on %s @ %s, short %s on %s @ %s, notional $%s"):format(
      h.symbol, dec(h.long_size), h.symbol, h.long_venue, dec(h.long_entry), dec(h.short_size), h.short_venue,
      dec(h.short_entry), usd(h.notional and h.notional:to_number()))
    local legs = st.legs or {}
    local function leg_line(label, leg)
      if not leg then return end
      local liq = ""
      local p = leg.position
      if p and p.liquidation_price and p.mark_price and p.mark_price:sign() > 0 then
        local distance = ((p.liquidation_price - p.mark_price):abs():to_number() / p.mark_price:to_number()) * 100
        liq = ("   liquidation %s (%.1f%% away)"):format(tostring(p.liquidation_price), distance)
      end
      lines[#lines + 1] = ("  %-5s %-9s uPnL %10s   funding %9s%s"):format(label, leg.venue, usd(leg.unrealized_pnl), usd(leg.funding), liq)
    end
    leg_line("long", legs.long)
    leg_line("short", legs.short)
    lines[#lines + 1] = ("  total uPnL %s   funding received %s   spread now %s APR"):format(usd(st.pnl), usd(st.funding), pct(st.spread_apr))
    if st.stop and st.stop.worst_venue then
      lines[#lines + 1] = ("  worst leg %s at %.2f%% of notional; stop at -%.2f%% (%.2f%% away)"):format(
        st.stop.worst_venue, st.stop.worst_pct, st.stop.percent, st.stop.distance_pct)
    end
    local held = ((view.now_ms or hedge.now_ms()) - h.opened_at_ms) / 1000
    lines[#lines + 1] = ("  held %s   left %s"):format(duration(held), duration(st.time_left_s))
    if st.reason then lines[#lines + 1] = "  " .. st.reason end
  end
  if view.balances then
    local parts = {}
    for venue, b in pairs(view.balances) do
      parts[#parts + 1] = ("%s equity $%s available $%s"):format(venue, usd(b.equity and b.equity:to_number()), usd(b.available and b.available:to_number()))
    end
    table.sort(parts)
    lines[#lines + 1] = "balances: " .. table.concat(parts, "; ")
  end
  return lines
end

function dashboard.cycle_summary(c)
  return {
    ("cycle %d closed: %s %s/%s held %s, reason: %s"):format(c.cycle, c.symbol, c.long_venue, c.short_venue, duration(c.held_s), c.reason),
    ("  realised $%s = funding $%s + price/basis $%s - fees $%s"):format(usd(c.total), usd(c.funding), usd(c.price), usd(c.fees)),
  }
end

-- On a terminal the screen is redrawn in place; elsewhere each line is logged.
function dashboard.show(lines, title)
  if on_terminal and not dashboard.plain then
    io.write("\27[H\27[2J", title and (title .. "\n") or "", table.concat(lines, "\n"), "\n")
    io.stdout:flush()
  else
    for _, line in ipairs(lines) do hedge.log.info("bot", line) end
  end
end

return dashboard
