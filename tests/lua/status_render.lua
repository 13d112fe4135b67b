-- The status page's parts without a network: the Prometheus writer checked by an independent
-- parser (and the parser's own refusals), SVG charts, the page and report HTML with hostile
-- values, the JSON documents from a machine and a state database, the venue metrics, the
-- token rules of bot.status, the funding spread samples, and scripts/report.lua end to end.
package.path = "scripts/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local store = require "hedge.store"
local t = require "lib.tap"
local prom = require "lib.prom_text"
local P = require "hedge.prometheus"
local svg = require "hedge.svg_chart"
local view = require "bot.status_view"
local page = require "bot.status_page"
local metrics_lib = require "bot.status_metrics"
local Status = require "bot.status"

hedge.log.set_level(os.getenv("TEST_LOG") or "off")

local tmp = os.tmpname()
os.remove(tmp)
os.execute("mkdir -p " .. tmp)

-- ---- the Prometheus writer, read back by the test's own parser -------------------------------

local doc = P.document()
doc:gauge("x_gauge", "a gauge with \\ and\na newline in its help", { { labels = { b = 'quote " back \\ nl \n', a = "1" }, value = 0.1 },
  { labels = { a = "2" }, value = -1e-7 } })
doc:counter("x_total", "a counter", 3)
local h = P.histogram { 0.1, 1 }
for _, v in ipairs { 0.05, 0.1, 0.5, 2 } do h:observe(v) end
doc:histogram("x_seconds", "a histogram", { { labels = { venue = "v" }, histogram = h } })
doc:gauge("x_empty", "declared without samples", {})
doc:gauge("x_special", "special values", { { labels = { k = "nan" }, value = 0 / 0 }, { labels = { k = "inf" }, value = math.huge },
  { labels = { k = "big" }, value = 1e21 }, { labels = { k = "third" }, value = 1 / 3 } })
local text = doc:text()
local parsed, perr = prom.parse(text)
t.ok(parsed ~= nil, "the writer's output parses: " .. tostring(perr))
t.is(parsed and prom.value(parsed, "x_gauge", { a = "1", b = 'quote " back \\ nl \n' }), 0.1, "label values with quote, backslash and newline round-trip")
t.is(parsed and prom.value(parsed, "x_gauge", { a = "2" }), -1e-7, "a tiny negative value round-trips")
t.is(parsed and parsed.families.x_gauge.help, "a gauge with \\ and\na newline in its help", "HELP text escaped and read back")
t.is(parsed and prom.value(parsed, "x_total"), 3, "counter")
t.is(parsed and prom.value(parsed, "x_seconds_bucket", { venue = "v", le = "0.1" }), 2, "histogram bucket le=0.1 counts 0.05 and 0.1")
t.is(parsed and prom.value(parsed, "x_seconds_bucket", { venue = "v", le = "1" }), 3, "buckets are cumulative")
t.is(parsed and prom.value(parsed, "x_seconds_bucket", { venue = "v", le = "+Inf" }), 4, "+Inf holds every observation")
t.is(parsed and prom.value(parsed, "x_seconds_count", { venue = "v" }), 4, "_count")
t.ok(parsed and math.abs(prom.value(parsed, "x_seconds_sum", { venue = "v" }) - 2.65) < 1e-12, "_sum")
t.ok(parsed and parsed.families.x_empty.type == "gauge" and #parsed.families.x_empty.samples == 0, "a family without samples is declared")
local nan = parsed and prom.value(parsed, "x_special", { k = "nan" })
t.ok(nan ~= nan, "NaN written and read")
t.is(parsed and prom.value(parsed, "x_special", { k = "inf" }), math.huge, "+Inf written and read")
t.is(parsed and prom.value(parsed, "x_special", { k = "big" }), 1e21, "1e21 written and read")
t.is(parsed and prom.value(parsed, "x_special", { k = "third" }), 1 / 3, "1/3 round-trips exactly")
t.raises(function() P.document():gauge("bad-name", "", 1) end, "bad metric name", "a bad metric name raises")
t.raises(function() P.document():counter("x_count", "", 1) end, "must end in _total", "a counter without _total raises")
t.raises(function() P.document():gauge("x", "", { { labels = { ["le-x"] = "1" }, value = 1 } }) end, "bad label name", "a bad label name raises")
t.raises(function() local d = P.document(); d:gauge("x", "", 1); d:gauge("x", "", 1) end, "declared twice", "a family declared twice raises")

-- the parser refuses what the format forbids (so the checks above can fail)
local bad = {
  { "# TYPE a gauge\na 1\na 2\n", "series given twice" },
  { "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n", "split" },
  { "a 1\n# TYPE a gauge\n", "TYPE after samples" },
  { "# TYPE a counter\na -1\n", "negative counter" },
  { "# TYPE a gauge\na{x=\"1} 1\n", "unterminated" },
  { "# TYPE a gauge\na{x=\"\\t\"} 1\n", "bad escape" },
  { "# TYPE a gauge\na 1,5\n", "bad value" },
  { "# TYPE a gauge\na  1\n", "expected one space" },
  { "# TYPE a gauge\na 1", "end with a newline" },
  { "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "not cumulative" },
  { "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "no %+Inf bucket" },
  { "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n", "differs from _count" },
  { "# TYPE h histogram\nh 1\n", "needs _bucket" },
  { "# TYPE h histogram\nh_bucket 1\n", "bucket without le" },
  { "# TYPE a gauge\na{le=\"1\",le=\"2\"} 1\n", "given twice" },
  { "# TYPE a gauge\n# TYPE a counter\n", "second TYPE" },
  { "# TYPE a whatever\n", "unknown type" },
}
for _, case in ipairs(bad) do
  local ok, err = prom.parse(case[1])
  t.ok(ok == nil and tostring(err):find(case[2]), ("the parser refuses: %s (%s)"):format(case[2], tostring(err)))
end

-- ---- SVG charts ---------------------------------------------------------------------------------

local empty = svg.line { id = "c", title = "t", series = { { name = "a", points = {} } }, empty = "nothing <yet>" }
t.like(empty, "nothing &lt;yet&gt;", "an empty chart says so, escaped")
local chart = svg.line { id = "c\"x", title = "<script>alert(1)</script>", series = {
  { name = "a&b", color = "#123456", points = { { 1, -2 }, { 2, 3 }, { 3, 0 / 0 }, { 4, 1 } } } } }
t.ok(not chart:find("<script", 1, true), "no markup from values reaches the SVG")
t.like(chart, "&lt;script&gt;alert%(1%)&lt;/script&gt;", "the title is escaped")
t.like(chart, 'data%-name="a&amp;b"', "series names are escaped")
t.like(chart, 'stroke="#888" stroke%-width="1%.5"', "the zero line is drawn when the data cross zero")
t.ok(chart:match('<polyline[^>]-points="([^"]*)"') and select(2, chart:match('<polyline[^>]-points="([^"]*)"'):gsub(",", "")) == 3,
  "the NaN point is skipped (3 finite points drawn)")
t.is(svg.nice_step(10, 5), 2, "nice step for 0..10 in 5 steps")
t.is(svg.nice_step(0.07, 5), 0.02, "nice step for 0..0.07")

-- ---- a machine, a state database, the documents -------------------------------------------------

local db = assert(store.open(tmp .. "/hedge.db"))
local H = 3600000
local day = view.parse_time("2026-11-20")
t.is(day, 1795132800000, "2026-11-20 is 1795132800000 ms (UTC)")
t.is(view.parse_time("2026-11-20", true), 1795132800000 + 86400000 - 1, "--to takes the whole day")
t.is(view.parse_time("2026-11-20T08:30"), 1795132800000 + 8.5 * H, "a time of day")
t.is(view.parse_time("1795132800000"), 1795132800000, "Unix milliseconds")
t.ok(select(2, view.parse_time("2026-02-30x")) ~= nil, "a malformed date is refused")
t.ok(select(2, view.parse_time("20261120")) == nil, "digits alone are milliseconds")

-- three cycles on three days; the middle one on a hostile symbol name the store accepts
local cycles = {
  { cycle = 1, symbol = "ETH", funding_pnl = "1.50", price_pnl = "-0.20", fees = "0.35", closed = day + 2 * H },
  { cycle = 2, symbol = "SOL", funding_pnl = "0.75", price_pnl = "0.10", fees = "0.30", closed = day + 26 * H },
  { cycle = 3, symbol = "ETH", funding_pnl = "-0.05", price_pnl = "-0.40", fees = "0.30", closed = day + 50 * H },
}
for _, c in ipairs(cycles) do
  assert(db:cycle_add { cycle = c.cycle, symbol = c.symbol, long_venue = "lighter", short_venue = "pacifica",
    close_reason = "rotation", opened_at_ms = c.closed - H, closed_at_ms = c.closed, notional = "1000",
    funding_pnl = c.funding_pnl, price_pnl = c.price_pnl, fees = c.fees })
end
assert(db:event_add { kind = "opened", message = "opened <b>ETH</b> & co", at_ms = day + H, symbol = "ETH" })
for i = 0, 3 do
  assert(db:event_add { kind = view.SPREAD_EVENT, message = "s", at_ms = day + 49 * H + i * 900000, symbol = i < 3 and "ETH" or "SOL",
    data = { spread_apr = 0.1 + i / 100, long_venue = "lighter", short_venue = "pacifica" } })
end
assert(db:intent_add { venue = "lighter", client_id = "u-1", symbol = "ETH", side = "sell", size = "0.5", reduce_only = true, purpose = "unwind" })

local hist = view.history(db)
t.is(#hist.cycles, 3, "history: every cycle")
t.is(hist.cycles[3].cumulative.total, "0.75", "cumulative total = sum of (funding + basis - fees), exact")
t.ok(D(hist.cycles[3].cumulative.funding) == D("2.2"), "cumulative funding, exact")
t.ok(D(hist.cycles[3].cumulative.fees) == D("0.95"), "cumulative fees, exact")
t.is(hist.totals.total_pnl, "0.75", "totals agree with the cumulative line")
t.is(#hist.spread, 4, "every funding spread sample")
t.is(hist.spread[1].at_ms, day + 49 * H, "samples oldest first")
t.is(#hist.events, 1, "recent events leave the samples out")
t.is(hist.unwinds, 1, "unwind orders counted from the intent journal")
local ranged = view.history(db, { from_ms = view.parse_time("2026-11-21"), to_ms = view.parse_time("2026-11-21", true) })
t.is(#ranged.cycles, 1, "a date range keeps the cycles closed in it")
t.is(ranged.cycles[1].cumulative.total, "0.55", "and sums from the range's start")
t.is(#ranged.spread, 0, "samples outside the range are left out")
t.is(#view.history(db, { symbol = "ETH" }).spread, 3, "samples of one symbol")

-- a machine holding a hedge, as bot/machine.lua leaves it after a check
local m = {
  state = "HOLDING", cycle = 4, clock = { now_ms = function() return day + 60 * H end },
  hedge = { symbol = "ETH", long_venue = "lighter", short_venue = "pacifica", long_size = D("0.5"), short_size = D("0.5"),
    long_entry = D("3000.10"), short_entry = D("3001.20"), notional = D("1500.05"), leverage = 3, opened_at_ms = day + 58 * H,
    target_close_ms = day + 66 * H },
  last_status = { action = "hold", spread_apr = 0.2, time_left_s = 6 * 3600, target_close_ms = day + 66 * H,
    stop = { percent = 22.56, worst_venue = "pacifica", worst_pct = -0.5, distance_pct = 22.06 },
    legs = {
      long = { venue = "lighter", size = D("0.5"), unrealized_pnl = -1.234, funding = 0.5,
        position = { unrealized_pnl = D("-1.2345"), funding = D("0.5001"), entry_price = D("3000.10"), mark_price = D("2997.63") } },
      short = { venue = "pacifica", size = D("0.5"), unrealized_pnl = 2.1, funding = 0.25,
        position = { unrealized_pnl = D("2.1"), funding = D("0.25"), entry_price = D("3001.20") } } } },
  last_rows = {
    { symbol = "SOL", long_venue = "edgex", short_venue = "lighter", long_apr = 0.1, short_apr = 0.3, gross_apr = 0.2, eligible = false, reason = "too thin" },
    { symbol = "ETH", long_venue = "lighter", short_venue = "pacifica", long_apr = 0.05, short_apr = 0.25, gross_apr = 0.2,
      net_apr = 0.12, expected_net_usd = 1.5, eligible = true, plan = { size = D("0.5") } },
    { symbol = "<img src=x onerror=alert(1)>", long_venue = "edgex", short_venue = "pacifica", eligible = true, gross_apr = 0.1 },
  },
  balances = { lighter = { equity = D("10000.5"), available = D("9000") } },
}
local metrics = metrics_lib.new()
local state = view.state { machine = m, db = db, metrics = metrics, now_ms = function() return 1 end }
t.is(state.state, "HOLDING", "state document: the state")
t.is(state.hedge.unrealized_pnl, "0.8655", "total uPnL summed exactly from the legs' decimals")
t.is(state.hedge.funding, "0.7501", "funding earned, exact")
t.is(state.hedge.net_pnl, "1.6156", "net = uPnL + funding")
t.is(state.hedge.legs.long.unrealized_pnl, "-1.2345", "per-leg uPnL as the venue gave it")
t.is(state.hedge.stop.distance_pct, 22.06, "stop distance")
t.is(state.hedge.time_left_s, 6 * 3600, "time left")
t.is(state.totals.total_pnl, "0.75", "realised totals from the database")
local funding = view.funding { machine = m }
t.ok(not funding.rows[1].best and funding.rows[2].best and not funding.rows[3].best, "BEST is the first eligible row")
t.ok(funding.rows[2].current and not funding.rows[1].current, "CURRENT is the held pair")

-- ---- HTML ---------------------------------------------------------------------------------------

local sections = page.sections(state, funding, hist, { { at_ms = 5, kind = "alert:margin", level = "warn", message = "<script>x</script>" } })
local html = page.document(sections, state)
t.ok(not html:find("<script>", 1, true) and not html:find("<img", 1, true), "hostile values never become markup")
t.like(html, "&lt;img src=x onerror=alert%(1%)&gt;", "they are shown escaped")
t.like(html, "opened &lt;b&gt;ETH&lt;/b&gt; &amp; co", "event messages are escaped")
t.like(html, '<span id="hedge%-symbol">ETH</span>', "the held symbol")
t.like(html, '<span class="num pos" id="hedge%-upnl" data%-value="0%.8655">0%.87</span>', "the total uPnL, rounded for reading, exact in data-value")
t.like(html, 'id="upnl%-long" data%-value="%-1%.2345">%-1%.23<', "the long leg's uPnL")
t.like(html, '<span class="badge best">BEST</span> <span class="badge current">CURRENT</span></td><td>ETH', "BEST and CURRENT on the held row")
t.like(html, 'id="stop%-distance">22%.06%%', "distance to the stop")
t.like(html, 'id="time%-left">6h00m00s', "time left")
t.like(html, '<svg[^>]+id="chart%-pnl"', "the PnL chart is inline SVG")
t.like(html, 'Funding spread of ETH over time', "the spread chart follows the held symbol")
t.like(html, '<script src="app%.js" defer></script>', "the only script is our own file")
local external = false
for url in html:gmatch('(https?://[^"%s<]+)') do if not url:find("^http://www%.w3%.org/2000/svg") then external = url end end
t.is(external, false, "nothing is loaded from outside the page")
local report = page.report(hist, { db = "x.db", now_ms = 0 })
t.ok(not report:find("<script", 1, true), "the report has no script at all")
t.like(report, "<style>", "the report carries its stylesheet")
t.like(report, '<span class="num pos" id="total%-pnl" data%-value="0%.75">0%.75</span>', "the report's total")
t.is(select(2, report:gsub("<svg", "")), 2, "the report has both charts")

-- ---- venue metrics ------------------------------------------------------------------------------

local client = {}
function client:place(o) hedge.sleep(0.01); if o.fail then return nil, hedge.errors.new("rate_limited", "slow down") end; return { id = "1" } end
function client:balance() return nil, { kind = "network" } end
function client:positions() return {}, nil, "extra" end
metrics:instrument { lighter = client }
local r1 = client:place {}
local r2, e2 = client:place { fail = true }
local a, b, c = client:positions()
client:balance()
t.ok(r1 and r1.id == "1" and r2 == nil and e2.kind == "rate_limited", "wrapped methods return what the client returns")
t.ok(type(a) == "table" and b == nil and c == "extra", "every return value passes through")
local alerts = { raise = function() end }
metrics:watch_alerts(alerts)
for _ = 1, 3 do alerts:raise("margin", { symbol = "ETH", message = "close to liquidation" }) end
alerts:raise("halt", { message = "halted" })
t.is(#metrics.recent_alerts, 2, "a repeated alert is one line")
t.is(metrics.recent_alerts[2].message, "close to liquidation (x3)", "counted")
local mtext = metrics:text(state, { totals = hist.totals, unwinds = hist.unwinds })
local md, merr = prom.parse(mtext)
t.ok(md ~= nil, "/metrics text parses: " .. tostring(merr))
if md then
  t.is(prom.value(md, "hedge_state", { state = "HOLDING" }), 1, "hedge_state HOLDING = 1")
  t.is(prom.value(md, "hedge_state", { state = "IDLE" }), 0, "the other states 0")
  t.is(prom.value(md, "hedge_unrealized_pnl_usd"), 0.8655, "unrealised PnL")
  t.is(prom.value(md, "hedge_leg_unrealized_pnl_usd", { leg = "long", venue = "lighter" }), -1.2345, "per leg")
  t.is(prom.value(md, "hedge_realized_pnl_usd", { component = "total" }), 0.75, "realised total")
  t.is(prom.value(md, "hedge_realized_pnl_usd", { component = "fees" }), 0.95, "realised fees")
  t.is(prom.value(md, "hedge_cycles_total"), 3, "cycles")
  t.is(prom.value(md, "hedge_unwinds_total"), 1, "unwinds")
  t.is(prom.value(md, "hedge_position_notional_usd"), 1500.05, "notional")
  t.is(prom.value(md, "hedge_position_info", { symbol = "ETH", long_venue = "lighter", short_venue = "pacifica" }), 1, "the held pair")
  t.is(prom.value(md, "hedge_order_latency_seconds_count", { venue = "lighter", op = "place" }), 2, "both place calls timed")
  t.ok(prom.value(md, "hedge_order_latency_seconds_bucket", { venue = "lighter", op = "place", le = "0.005" }) == 0
    and prom.value(md, "hedge_order_latency_seconds_bucket", { venue = "lighter", op = "place", le = "0.025" }) == 2,
    "the 10 ms calls land in the 0.025 bucket")
  t.is(prom.value(md, "hedge_venue_request_errors_total", { venue = "lighter", kind = "rate_limited" }), 1, "errors by kind")
  t.is(prom.value(md, "hedge_venue_request_errors_total", { venue = "lighter", kind = "network" }), 1, "a plain error table")
  t.is(prom.value(md, "hedge_venue_requests_total", { venue = "lighter", op = "positions" }), 1, "requests by method")
  local last = prom.value(md, "hedge_venue_last_success_timestamp_seconds", { venue = "lighter" })
  t.ok(last and math.abs(last - hedge.now_ms() / 1000) < 60, "last success is a recent Unix time")
  t.is(prom.value(md, "hedge_alerts_total", { event = "margin" }), 3, "alerts by event")
  t.is(prom.value(md, "hedge_equity_usd", { venue = "lighter" }), 10000.5, "equity")
end

-- ---- bot.status: token rules and the funding spread samples ------------------------------------

local function new_status(status_cfg, env_text, getenv)
  local env_file = tmp .. "/status.env"
  local f = assert(io.open(env_file, "w"))
  f:write(env_text or "")
  f:close()
  return Status.new { config = { status = status_cfg }, journal = { db = db }, env_file = env_file, getenv = getenv or {} }
end
local s, serr = new_status { listen = "0.0.0.0:9100" }
t.ok(s == nil and serr.exit_code == 2 and serr.msg:find("HEDGE_STATUS_TOKEN"), "off loopback without a token: refused, naming the variable: " .. tostring(serr))
s, serr = new_status({ listen = "0.0.0.0:9100", token_env = "MY_TOKEN" }, "MY_TOKEN=short\n")
t.ok(s == nil and serr.msg:find("at least 16") and not serr.msg:find("short\n"), "a short token: refused without showing it: " .. tostring(serr))
s = new_status({ listen = "0.0.0.0:9100", token_env = "MY_TOKEN" }, "MY_TOKEN=from-the-file-0123456789\n")
t.ok(s and s.token == "from-the-file-0123456789", "a token from .env")
s = new_status({ listen = "0.0.0.0:9100" }, "", { HEDGE_STATUS_TOKEN = "from-the-environment-42" })
t.ok(s and s.token == "from-the-environment-42", "a token from the environment")
t.is(hedge.log.redact("x from-the-environment-42 y"), "x [REDACTED] y", "the token is registered with the log redaction")
s = new_status { listen = "8080" }
t.ok(s and s.listen == "127.0.0.1:8080" and s.token == nil, "a port alone binds loopback, without a token")
s = Status.new { config = {}, journal = { db = db } }
t.ok(s and s.listen == nil, "no status section: nothing is served")

-- samples: the first check of a hedge, then at most one per 15 strategy minutes
local now = day + 60 * H
m.clock = { now_ms = function() return now end }
local observe = s:observer()
local function samples() return #view.history(db, { symbol = "ETH" }).spread end
local before = samples()
observe(m, "check")
t.is(samples(), before + 1, "the first check of a hedge records its funding spread")
now = now + 10 * 60000
observe(m, "check")
t.is(samples(), before + 1, "10 strategy minutes later: not yet")
now = now + 6 * 60000
observe(m, "check")
t.is(samples(), before + 2, "16 minutes after the first: the next sample")
local last_sample = view.history(db, { symbol = "ETH" }).spread[before + 2]
t.is(last_sample.at_ms, now, "stamped with strategy time (like the cycles it is charted beside)")
t.is(last_sample.unrealized_pnl, "0.8655", "with the PnL at that moment")
observe(m, "state")
t.is(samples(), before + 2, "other notifications record nothing")
local broken = setmetatable({}, { __index = function() error("boom") end })
observe(broken, "check")
t.ok(true, "an observer failure never reaches the machine")
db:close()

-- ---- scripts/report.lua -----------------------------------------------------------------------

local function run(args)
  local cmd = "./hedge scripts/report.lua " .. args .. " 2>&1; echo \"exit=$?\""
  local p = io.popen(cmd)
  local out = p:read("*a")
  p:close()
  return out, tonumber(out:match("exit=(%d+)"))
end
local out, code = run(("--db %s/hedge.db --from 2026-11-21 --to 2026-11-22 --out %s/r.html"):format(tmp, tmp))
t.is(code, 0, "report: exit 0")
t.like(out, "2 cycles, realised %-0%.2 ", "report: two cycles in the range (2 and 3), their total")
local f = assert(io.open(tmp .. "/r.html"))
local rhtml = f:read("*a")
f:close()
t.like(rhtml, "<td>2</td><td>SOL</td>", "the report lists cycle 2")
t.ok(not rhtml:find("<td>1</td><td>ETH</td>", 1, true), "and not cycle 1, closed before the range")
t.is(select(2, rhtml:gsub("<svg", "")), 2, "with both charts")
out, code = run("--db " .. tmp .. "/hedge.db --from yesterday")
t.ok(code == 2 and out:find("%-%-from"), "a bad date: exit 2 naming the option")
out, code = run("--db " .. tmp .. "/missing.db")
t.ok(code == 2 and out:find("missing%.db"), "a missing database: exit 2 naming it")
out, code = run("--bogus")
t.ok(code == 2 and out:find("unknown argument"), "an unknown argument: exit 2")

os.execute("rm -rf " .. tmp)
t.done()
