-- The status page in a real browser (issue 11, "what must be shown"): headless Chromium from
-- Debian's chromium package, driven over the DevTools protocol with hedge's own WebSocket
-- client (tests/lua/lib/cdp.lua), against the bot running a cycle on the simulator:
--   * the page shows the held symbol and a PnL equal to /api/state's;
--   * when the simulator's price moves, the page updates without a reload (server-sent events);
--   * a screenshot is saved as a test artefact ($TEST_BUILD/artefacts/status_page.png);
--   * with JavaScript disabled the static parts are all there (state, hedge, charts, table);
--   * when the cycle closes, the open page shows it (state, the cycle's row) still without reload.
-- Skipped when chromium is not installed (tools/install-deps --browser installs it).
package.path = "tests/lua/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local cjson = require "cjson"
local t = require "lib.tap"
local cdp = require "lib.cdp"

local binary = cdp.find()
if not binary then
  print("1..0 # SKIP chromium is not installed (tools/install-deps --browser installs Debian's chromium)")
  return
end

local World = require "lib.bot_world"

local function api(base, path)
  local res = hedge.http.get(base .. path, { timeout = 10 })
  return res and res.status == 200 and cjson.decode(res.body) or nil
end

-- The page's PnL figure: the text shown and the exact value it carries.
local PNL_JS = "(function(e){return e ? [e.textContent, e.getAttribute('data-value') || ''] : null})(document.getElementById('hedge-upnl'))"

local function rounded(text) -- as the page shows money
  local s = ("%.2f"):format(tonumber(text))
  return s == "-0.00" and "0.00" or s
end

local scenario = World.scenario()
for _, v in pairs(scenario.venues) do
  for _, m in ipairs(v.markets) do m.funding.path = nil end
end
-- One simulated day is six seconds. The hold (20 days, 80 s) only bounds the test: the test
-- itself ends the cycle once it has looked at the page, by moving the long leg's price through
-- a 5 % stop-loss (far from the venues' liquidation at 3x), so a slow machine cannot close it
-- too early.
local w = World.start { scenario = scenario, scale = 14400, config = { status = { listen = "127.0.0.1:0" },
  hold_duration_hours = 480, check_interval_seconds = 1800, wait_between_cycles_minutes = 6000, stop_loss_percent = 5,
  symbols_to_monitor = { "ETH" } } }
local browser
local ok, err = pcall(function()
  browser = assert(cdp.launch { binary = binary, dir = w.dir .. "/browser", width = 1280, height = 1600 })
  t.diag("browser: " .. tostring(browser.version))
  local bot = w:spawn_bot {}
  local rec = w:wait_log("status page on http://[^/]+/", 30)
  local base = rec.msg:match("(http://[^/]+)/")
  w:wait_log("OPENING %-> HOLDING", 60)
  local state = w.sim:wait_for(function()
    local s = api(base, "/api/state")
    return s and s.hedge and s.hedge.unrealized_pnl and s
  end, 20, "the first holding check in /api/state")

  local page = browser:new_page()
  page:call("Emulation.setDeviceMetricsOverride", { width = 1280, height = 1600, deviceScaleFactor = 1, mobile = false })
  page:navigate(base .. "/")
  page:wait_for("document.getElementById('live').textContent === 'live'", 10, "the live indicator (event stream open)")
  t.ok(true, "the page loaded and its event stream is live")

  -- 1. the held symbol and the PnL, as /api/state has them
  t.is(page:eval("document.getElementById('hedge-symbol').textContent"), state.hedge.symbol,
    "the page shows the held symbol " .. state.hedge.symbol)
  local shown, exact
  for _ = 1, 40 do   -- both read between two holding checks
    local before = api(base, "/api/state")
    local pnl = page:eval(PNL_JS)
    local after = api(base, "/api/state")
    if pnl and before and after and before.hedge.unrealized_pnl == after.hedge.unrealized_pnl and pnl[2] == after.hedge.unrealized_pnl then
      shown, exact, state = pnl[1], pnl[2], after
      break
    end
    hedge.sleep(0.1)
  end
  t.is(exact, state.hedge.unrealized_pnl, "the page's PnL carries /api/state's unrealised PnL exactly: " .. tostring(state.hedge.unrealized_pnl))
  t.is(shown, rounded(state.hedge.unrealized_pnl), "and shows it rounded to the cent: " .. tostring(shown))
  t.like(page:eval("document.querySelector('.badge.current') && document.querySelector('.badge.current').closest('tr').textContent"),
    state.hedge.symbol, "the funding table marks the held pair CURRENT")
  t.ok(page:eval("!!document.querySelector('.badge.best')"), "and the BEST candidate")

  -- 2. the price moves: the page follows without a reload
  page:eval("window.__hedge_marker = 'loaded once'; true")
  local updates_before = tonumber(page:eval("document.body.getAttribute('data-updates') || '0'"))
  local h = state.hedge
  local market
  for _, m in ipairs(w.sim:state(h.long_venue).venues[h.long_venue].markets) do
    if m.symbol == h.symbol then market = m end
  end
  local new_mark = (D(market.mark) * D("0.98")):rescale(2, "half_even")
  w.sim:set_prices { venue = h.long_venue, symbol = h.symbol, mark = tostring(new_mark) }
  t.diag(("%s mark on %s moved from %s to %s"):format(h.symbol, h.long_venue, market.mark, tostring(new_mark)))
  local moved = page:wait_for(("(function(p){return p && p[1] !== %q ? p : null})(%s)"):format(exact, PNL_JS), 15,
    "the page's PnL to change after the price move")
  local after = api(base, "/api/state")
  t.ok(D(moved[2]) < D(exact), ("the long leg lost value: PnL %s -> %s"):format(exact, moved[2]))
  w.sim:wait_for(function()
    local p = page:eval(PNL_JS)
    after = api(base, "/api/state")
    return p and after and after.hedge and p[2] == after.hedge.unrealized_pnl
  end, 10, "the page and /api/state to agree after the move")
  t.ok(true, "after the move the page and /api/state agree: " .. tostring(after.hedge.unrealized_pnl))
  t.is(page:eval("window.__hedge_marker"), "loaded once", "the page was not reloaded (updated in place)")
  t.cmp(tonumber(page:eval("document.body.getAttribute('data-updates') || '0'")), ">", updates_before,
    "it received live updates over the event stream")

  -- 3. the screenshot, kept as an artefact
  local dir = (os.getenv("TEST_BUILD") or "build") .. "/artefacts"
  os.execute("mkdir -p '" .. dir .. "'")
  local png = page:screenshot()
  local path = dir .. "/status_page.png"
  local f = assert(io.open(path, "wb"))
  f:write(png)
  f:close()
  t.ok(png:sub(1, 8) == "\137PNG\r\n\26\n" and #png > 20000, ("screenshot saved: %s (%d bytes)"):format(path, #png))

  -- 4. JavaScript disabled: the static page has everything but the live updates
  local static = browser:new_page()
  static:call("Emulation.setScriptExecutionDisabled", { value = true })
  static:navigate(base .. "/")
  t.is(static:eval("document.getElementById('live').textContent"), "static", "without JavaScript the page stays static (its script did not run)")
  t.is(static:eval("document.getElementById('hedge-symbol').textContent"), h.symbol, "and still shows the held symbol")
  t.like(static:eval("document.getElementById('hedge-upnl').textContent"), "^%-?%d+%.%d%d$", "the PnL")
  t.is(static:eval("document.querySelectorAll('svg.chart').length"), 2, "both charts (server-rendered SVG)")
  t.ok(static:eval("document.querySelectorAll('#funding-section tr').length > 2"), "the funding table")
  t.like(static:eval("document.getElementById('state').textContent"), "^HOLDING$", "the state")
  t.ok(static:eval("!!document.querySelector('noscript')"), "and a noscript refresh for the static page")

  -- 5. the cycle closes: the open page shows it, still without a reload
  w.sim:set_prices { venue = h.long_venue, symbol = h.symbol, mark = tostring((D(market.mark) * D("0.92")):rescale(4, "half_even")) }
  w:wait_log("CLOSING %-> WAITING", 60)
  page:wait_for("document.getElementById('state').textContent === 'WAITING'", 15, "the page to show WAITING")
  t.ok(true, "the open page shows the bot WAITING after the close")
  local row = page:wait_for("(function(){var r=document.querySelector('#charts-section table.cycles tr:nth-child(2)');return r && r.textContent})()",
    10, "the cycle's row in the page")
  t.like(row, "^1" .. h.symbol, "the cycle's row appeared in the page: " .. row:sub(1, 60))
  t.like(row, "stop_loss", "closed by the stop-loss the test's price move set off")
  t.ok(page:eval("!!document.getElementById('no-hedge')"), "the hedge section says nothing is held")
  t.is(page:eval("window.__hedge_marker"), "loaded once", "still the same page (no reload)")
  local history = api(base, "/api/history")
  local total = page:eval("document.getElementById('total-pnl').getAttribute('data-value')")
  t.ok(history and D(total) == D(history.totals.total_pnl), "the page's realised total = /api/history's " .. tostring(total))

  bot:kill(15)
  t.is(bot:wait(30), 0, "the bot stops cleanly")
end)
if not ok then
  t.ok(false, "browser test: " .. tostring(err))
  t.diag("kept: " .. w:keep("status-browser"))
end
if browser then browser:close() end
w:stop()
t.done()
