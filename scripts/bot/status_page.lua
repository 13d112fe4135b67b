-- The status page and the report as HTML, from the documents of bot.status_view. Every
-- section is rendered here, on the server: the page is complete without JavaScript, and the
-- live updates (server-sent events) carry the same section markup, which the page's small
-- script swaps in. Charts are SVG drawn by hedge.svg_chart. Every value is escaped.
--
--   page.sections(state, funding, history) -> {section id = inner HTML}
--   page.document(sections, opts)           -> the whole page (loads app.css and app.js)
--   page.report(history, opts)              -> a standalone report (inline CSS, no script)
local svg = require "hedge.svg_chart"
local assets = require "bot.status_assets"

local page = {}

local esc = svg.escape
page.escape = esc

local function num(v)
  if v == nil then return nil end
  if type(v) == "number" then return v end
  return tonumber(tostring(v))
end

-- Money as people read it (2 decimals); the exact value rides along in data-value.
function page.usd(v)
  local n = num(v)
  if not n then return "-" end
  local s = ("%.2f"):format(n)
  if s == "-0.00" then s = "0.00" end
  return s
end

-- kind: nil colours by sign (profit, loss); "plain" for amounts that are neither (fees, balances).
local function money(id, v, kind)
  local class = kind == "plain" and "num" or ((num(v) or 0) < 0 and "num neg" or "num pos")
  return ('<span class="%s"%s data-value="%s">%s</span>'):format(
    class, id and (' id="' .. esc(id) .. '"') or "", esc(v ~= nil and tostring(v) or ""), esc(page.usd(v)))
end

local function pct(x, digits)
  if x == nil then return "-" end
  return ("%." .. (digits or 2) .. "f%%"):format(x * 100)
end

function page.time(ms)
  if not ms then return "-" end
  return os.date("!%Y-%m-%d %H:%M:%S", math.floor(ms / 1000)) .. " UTC"
end

local function short_time(ms)
  if not ms then return "-" end
  return os.date("!%Y-%m-%d %H:%M", math.floor(ms / 1000))
end

function page.duration(seconds)
  if not seconds then return "-" end
  seconds = math.max(0, math.floor(seconds))
  return ("%dh%02dm%02ds"):format(math.floor(seconds / 3600), math.floor(seconds / 60) % 60, seconds % 60)
end

local function compact(n)
  n = num(n)
  if not n then return "-" end
  if n >= 1e9 then return ("%.1fB"):format(n / 1e9) end
  if n >= 1e6 then return ("%.1fM"):format(n / 1e6) end
  if n >= 1e3 then return ("%.1fk"):format(n / 1e3) end
  return ("%.0f"):format(n)
end

-- ---- sections -----------------------------------------------------------------------------------

function page.state_section(s)
  local out = { "<h2>State</h2>", '<dl class="facts">' }
  local function fact(label, value_html) out[#out + 1] = "<dt>" .. esc(label) .. "</dt><dd>" .. value_html .. "</dd>" end
  fact("state", ('<span id="state" class="state state-%s">%s</span>'):format(esc(s.state):lower(), esc(s.state)))
  fact("cycle", ('<span id="cycle">%d</span>'):format(s.cycle or 0))
  fact("since", esc(page.time(s.since_ms)))
  if s.last_error then fact("last error", '<span class="error">' .. esc(s.last_error) .. "</span>") end
  if s.halt_reason then fact("halted", '<span class="error">' .. esc(s.halt_reason) .. "</span>") end
  local t = s.totals or {}
  fact("realised PnL", money("realized-total", t.total_pnl) .. (" over %d cycles (funding %s, basis %s, fees %s)"):format(
    t.cycles or 0, esc(page.usd(t.funding_pnl)), esc(page.usd(t.price_pnl)), esc(page.usd(t.fees))))
  out[#out + 1] = "</dl>"
  local names = {}
  for name in pairs(s.balances or {}) do names[#names + 1] = name end
  table.sort(names)
  if #names > 0 then
    out[#out + 1] = '<table class="balances"><tr><th>venue</th><th>equity</th><th>available</th><th>last answer</th><th>errors</th></tr>'
    for _, name in ipairs(names) do
      local b, v = s.balances[name], (s.venues or {})[name] or {}
      out[#out + 1] = ("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"):format(
        esc(name), money(nil, b.equity, "plain"), money(nil, b.available, "plain"), esc(page.time(v.last_success_ms)),
        esc(tostring(v.errors or 0)))
    end
    out[#out + 1] = "</table>"
  end
  return table.concat(out, "\n")
end

function page.hedge_section(s)
  local h = s.hedge
  if not h then
    return ('<h2>Current hedge</h2><p id="no-hedge">No hedge held (state %s).</p>'):format(esc(s.state))
  end
  local out = {
    ('<h2>Current hedge: <span id="hedge-symbol">%s</span> <span class="pair">long %s / short %s</span></h2>')
      :format(esc(h.symbol), esc(h.long_venue), esc(h.short_venue)),
    '<table class="legs"><tr><th>leg</th><th>venue</th><th>size</th><th>entry</th><th>mark</th><th>unrealised PnL</th><th>funding</th><th>liquidation</th></tr>',
  }
  for _, side in ipairs { "long", "short" } do
    local l = h.legs and h.legs[side]
    if l then
      out[#out + 1] = ('<tr id="leg-%s"><td>%s</td><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td>%s</td><td>%s</td><td class="num">%s</td></tr>')
        :format(side, side, esc(l.venue), esc(l.size or "-"), esc(l.entry_price or "-"), esc(l.mark_price or "-"),
          money("upnl-" .. side, l.unrealized_pnl), money("funding-" .. side, l.funding), esc(l.liquidation_price or "-"))
    end
  end
  out[#out + 1] = "</table>"
  out[#out + 1] = '<dl class="facts">'
  local function fact(label, html) out[#out + 1] = "<dt>" .. esc(label) .. "</dt><dd>" .. html .. "</dd>" end
  fact("unrealised PnL", h.unrealized_pnl and money("hedge-upnl", h.unrealized_pnl) or '<span id="hedge-upnl">not checked yet</span>')
  fact("funding earned", h.funding and money("hedge-funding", h.funding) or "-")
  fact("net so far", h.net_pnl and money("hedge-net", h.net_pnl) or "-")
  fact("notional", esc(h.notional or "-") .. (h.leverage and (" at " .. esc(tostring(h.leverage)) .. "x") or ""))
  if h.stop and h.stop.percent then
    fact("distance to stop", ('<span id="stop-distance">%s</span> (stop at -%.2f%% of notional; worst leg %s at %.2f%%)')
      :format(h.stop.distance_pct and ("%.2f%%"):format(h.stop.distance_pct) or "-", h.stop.percent, esc(h.stop.worst_venue or "-"),
        h.stop.worst_pct or 0))
  end
  fact("time left", ('<span id="time-left">%s</span> (close planned %s)'):format(esc(page.duration(h.time_left_s)), esc(page.time(h.target_close_ms))))
  fact("opened", esc(page.time(h.opened_at_ms)))
  fact("funding spread now", h.spread_apr and (pct(h.spread_apr) .. " APR") or "-")
  if h.reason then fact("note", esc(h.reason)) end
  out[#out + 1] = "</dl>"
  return table.concat(out, "\n")
end

function page.funding_section(f)
  local out = { "<h2>Funding table</h2>" }
  if not f.ranked then
    out[#out + 1] = "<p>No ranking yet: the table appears after the first analysis.</p>"
    return table.concat(out, "\n")
  end
  out[#out + 1] = '<div class="table-wrap"><table class="funding"><tr><th></th><th>symbol</th><th>long / short</th><th>APR long</th><th>APR short</th><th>gross</th><th>net APR</th><th>net $</th><th>volume</th><th>gap</th><th>note</th></tr>'
  for i, r in ipairs(f.rows) do
    if i > 15 then break end
    local marks = {}
    if r.best then marks[#marks + 1] = '<span class="badge best">BEST</span>' end
    if r.current then marks[#marks + 1] = '<span class="badge current">CURRENT</span>' end
    out[#out + 1] = ('<tr class="%s"><td>%s</td><td>%s</td><td>%s / %s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td>%s</td></tr>')
      :format(r.eligible and "eligible" or "ineligible", table.concat(marks, " "), esc(r.symbol), esc(r.long_venue), esc(r.short_venue),
        pct(r.long_apr), pct(r.short_apr), pct(r.gross_apr), r.net_apr and pct(r.net_apr) or "-", esc(page.usd(r.expected_net_usd)),
        compact(r.min_volume_usd), r.gap_pct and ("%.4f%%"):format(r.gap_pct) or "-",
        esc(r.eligible and (r.size and ("size " .. r.size) or "") or (r.reason or "")))
  end
  out[#out + 1] = "</table></div>"
  out[#out + 1] = '<p class="legend">BEST = first to be tried; CURRENT = held now; net = after round-trip taker fees and slippage.</p>'
  return table.concat(out, "\n")
end

function page.events_section(history, alerts)
  local list = {}
  for _, e in ipairs(history.events or {}) do list[#list + 1] = e end
  for _, a in ipairs(alerts or {}) do list[#list + 1] = a end
  table.sort(list, function(a, b) return (a.at_ms or 0) > (b.at_ms or 0) end)
  local out = { "<h2>Recent events</h2>" }
  if #list == 0 then out[#out + 1] = "<p>No events yet.</p>"; return table.concat(out, "\n") end
  out[#out + 1] = '<table class="events"><tr><th>time</th><th>event</th><th>message</th></tr>'
  for i, e in ipairs(list) do
    if i > 30 then break end
    out[#out + 1] = ('<tr class="level-%s"><td>%s</td><td>%s</td><td>%s</td></tr>'):format(
      esc(e.level or "info"), esc(page.time(e.at_ms)), esc(e.kind), esc(e.message or ""))
  end
  out[#out + 1] = "</table>"
  return table.concat(out, "\n")
end

-- ---- charts -------------------------------------------------------------------------------------

local COLORS = { total = "#264653", funding = "#2a9d8f", basis = "#457b9d", fees = "#e76f51" }
local PAIR_COLORS = { "#6a4c93", "#1982c4", "#8ac926", "#ff924c", "#ff595e", "#52a675" }

function page.pnl_chart(cycles)
  local series = {
    { name = "total", color = COLORS.total, points = {}, step = true, width = "2.5" },
    { name = "funding", color = COLORS.funding, points = {}, step = true },
    { name = "basis", color = COLORS.basis, points = {}, step = true },
    { name = "fees", color = COLORS.fees, points = {}, step = true },
  }
  -- Every line starts at zero before the first cycle, so that one cycle already draws a step.
  local labels = { [0] = "start" }
  if #cycles > 0 then
    for _, s in ipairs(series) do s.points[1] = { 0, 0 } end
  end
  for i, c in ipairs(cycles) do
    labels[i] = "#" .. tostring(c.cycle)
    series[1].points[i + 1] = { i, num(c.cumulative.total) }
    series[2].points[i + 1] = { i, num(c.cumulative.funding) }
    series[3].points[i + 1] = { i, num(c.cumulative.basis) }
    series[4].points[i + 1] = { i, -(num(c.cumulative.fees) or 0) }
  end
  local ticks = { 0 }
  local every = math.max(1, math.ceil(#cycles / 10))
  for i = 1, #cycles, every do ticks[#ticks + 1] = i end
  return svg.line {
    id = "chart-pnl", width = 560, title = "Cumulative realised PnL by cycle (USD)",
    series = series, x_ticks = ticks, empty = "no cycle completed yet",
    x_format = function(x) return labels[math.floor(x + 0.5)] or "" end,
    y_format = function(y) return ("%.2f"):format(y) end,
  }
end

-- samples: {at_ms, symbol, long_venue, short_venue, spread_apr}; one series per pair.
function page.spread_chart(samples, title)
  local by_pair, order = {}, {}
  for _, s in ipairs(samples) do
    local key = ("%s %s/%s"):format(s.symbol or "?", s.long_venue or "?", s.short_venue or "?")
    if not by_pair[key] then by_pair[key] = {}; order[#order + 1] = key end
    local pts = by_pair[key]
    pts[#pts + 1] = { s.at_ms, s.spread_apr * 100 }
  end
  local series = {}
  for i, key in ipairs(order) do
    series[i] = { name = key, color = PAIR_COLORS[(i - 1) % #PAIR_COLORS + 1], points = by_pair[key], markers = #by_pair[key] <= 40 }
  end
  local x0, x1
  for _, s in ipairs(samples) do x0 = math.min(x0 or s.at_ms, s.at_ms); x1 = math.max(x1 or s.at_ms, s.at_ms) end
  local span = x0 and (x1 - x0) or 0
  local format = span > 3 * 86400000 and "!%m-%d" or "!%m-%d %H:%M"
  return svg.line {
    id = "chart-spread", width = 560, title = title or "Funding spread over time (APR %)", series = series,
    empty = "no funding spread recorded yet",
    x_format = function(x) return os.date(format, math.floor(x / 1000)) end,
    y_format = function(y) return ("%.2f%%"):format(y) end,
  }
end

function page.charts_section(history, held_symbol)
  local samples, title = history.spread, "Funding spread over time (APR %)"
  if held_symbol then
    samples = {}
    for _, s in ipairs(history.spread) do if s.symbol == held_symbol then samples[#samples + 1] = s end end
    title = ("Funding spread of %s over time (APR %%)"):format(held_symbol)
  end
  return table.concat({ "<h2>History</h2>",
    '<p class="legend">Realised PnL per cycle: total = funding + basis - fees (basis: the price PnL of the two legs).</p>',
    '<div class="charts">', page.pnl_chart(history.cycles),
    page.spread_chart(samples, title), "</div>", "<h3>What each cycle earned</h3>", page.cycles_table(history, 10) }, "\n")
end

-- limit: only the newest cycles (the totals row still covers every cycle of the history).
function page.cycles_table(history, limit)
  local out = { '<div class="table-wrap"><table class="cycles"><tr><th>cycle</th><th>symbol</th><th>long / short</th><th>opened (UTC)</th><th>closed (UTC)</th><th>reason</th><th>notional</th><th>funding</th><th>basis</th><th>fees</th><th>total</th><th>cumulative</th></tr>' }
  local first = limit and math.max(1, #history.cycles - limit + 1) or 1
  for i = first, #history.cycles do
    local c = history.cycles[i]
    out[#out + 1] = ("<tr><td>%s</td><td>%s</td><td>%s / %s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
      :format(esc(tostring(c.cycle)), esc(c.symbol), esc(c.long_venue), esc(c.short_venue), esc(short_time(c.opened_at_ms)),
        esc(short_time(c.closed_at_ms)), esc(c.close_reason or ""), money(nil, c.notional, "plain"), money(nil, c.funding_pnl),
        money(nil, c.basis_pnl), money(nil, c.fees, "plain"), money(nil, c.total_pnl), money(nil, c.cumulative.total))
  end
  local t = history.totals or {}
  out[#out + 1] = ('<tr class="totals"><td colspan="7">%d cycles</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td></td></tr>')
    :format(t.cycles or 0, money("total-funding", t.funding_pnl), money("total-basis", t.price_pnl), money("total-fees", t.fees, "plain"),
      money("total-pnl", t.total_pnl))
  out[#out + 1] = "</table></div>"
  return table.concat(out, "\n")
end

-- ---- documents ----------------------------------------------------------------------------------

page.SECTION_IDS = { "state-section", "hedge-section", "charts-section", "funding-section", "events-section" }

function page.sections(state, funding, history, alerts)
  local held = state.hedge and state.hedge.symbol
  return {
    ["state-section"] = page.state_section(state),
    ["hedge-section"] = page.hedge_section(state),
    ["charts-section"] = page.charts_section(history, held),
    ["funding-section"] = page.funding_section(funding),
    ["events-section"] = page.events_section(history, alerts),
  }
end

local function title_of(state)
  local h = state and state.hedge
  return ("hedge — %s%s"):format(state and state.state or "?", h and (" " .. h.symbol) or "")
end

function page.document(sections, state, opts)
  opts = opts or {}
  local out = {
    "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>" .. esc(title_of(state)) .. "</title>",
    -- Without JavaScript the page reloads itself now and then instead of updating live.
    '<noscript><meta http-equiv="refresh" content="30"></noscript>',
    '<link rel="stylesheet" href="app.css">', '<script src="app.js" defer></script>', "</head>",
    ('<body data-generated="%s">'):format(esc(tostring(state and state.generated_at_ms or ""))),
    '<header><h1>hedge</h1><span id="live" class="live" title="live updates">static</span>',
    '<nav><a href="api/state">state</a> <a href="api/funding">funding</a> <a href="api/history">history</a> <a href="metrics">metrics</a></nav></header>',
    "<main>",
  }
  for _, id in ipairs(page.SECTION_IDS) do
    out[#out + 1] = ('<section id="%s">%s</section>'):format(id, sections[id] or "")
  end
  out[#out + 1] = "</main>"
  out[#out + 1] = ('<footer>generated %s; read-only: nothing here can place, cancel or close an order.</footer>'):format(
    esc(page.time(state and state.generated_at_ms)))
  out[#out + 1] = "</body></html>"
  return table.concat(out, "\n")
end

-- A standalone file: inline CSS, no script, the charts and the cycle table for the range.
function page.report(history, opts)
  opts = opts or {}
  local range = ("%s to %s"):format(history.from_ms and page.time(history.from_ms) or "the first cycle",
    history.to_ms and page.time(history.to_ms) or "the last cycle")
  return table.concat({
    "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
    "<title>hedge report — " .. esc(range) .. "</title>",
    "<style>" .. assets.css .. "</style></head><body>",
    "<header><h1>hedge report</h1></header><main>",
    ("<p>Cycles closed from %s. Database: %s. Generated %s.</p>"):format(esc(range), esc(opts.db or "?"), esc(page.time(opts.now_ms))),
    '<section id="charts-section"><h2>Charts</h2><div class="charts">', page.pnl_chart(history.cycles),
    page.spread_chart(history.spread), "</div></section>",
    '<section id="cycles-section"><h2>Cycles</h2>', page.cycles_table(history), "</section>",
    "</main></body></html>",
  }, "\n")
end

return page
