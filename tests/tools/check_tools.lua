-- scripts/check_volume.lua and scripts/check_spreads.lua against the bot's simulated world
-- (tests/sim/scenarios/bot_default.json): the figures per venue, the flags against the
-- configured thresholds and their command-line overrides, and an unreadable venue.
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local t = require "lib.tap"
local W = require "lib.world"

local w = W.start {}

-- volume: the scenario's 24 h volumes, compacted, against min_volume_usd = $50M
local out, status = w:run("scripts/check_volume.lua", {})
t.is(status, 0, "check_volume exits 0")
t.like(out, "each venue of a pair needs at least %$50,000,000", "the threshold is the configuration's")
t.like(out, "\nBTC%s+420%.0M%s+1%.5B%s+1%.5B%s+3/3%s+ok\n", "BTC: every venue above the threshold")
t.like(out, "\nHYPE%s+50%.0M%s+110%.0M%s+90%.0M%s+3/3%s+ok\n", "HYPE: $50M exactly passes")
t.like(out, "\nDOGE%s+35%.0M%s+400%.0k%s+150%.0k%s+0/3%s+LOW VOLUME on edgex, lighter, pacifica\n", "DOGE: flagged on every venue")
t.like(out, "8 symbols: 4 with at least two venues above the threshold, 8 listed on every venue", "the summary counts")
out = w:run("scripts/check_volume.lua", { "--min-volume", "100000000", "--symbols", "btc,SOL,hype" })
t.like(out, "needs at least %$100,000,000", "--min-volume overrides the threshold")
t.like(out, "\nSOL%s+60%.0M%s+90%.0M%s+120%.0M%s+1/3%s+LOW VOLUME on edgex, lighter\n", "SOL passes on one venue only: flagged")
t.like(out, "\nHYPE%s+50%.0M%s+110%.0M%s+90%.0M%s+1/3%s+LOW VOLUME on edgex, pacifica\n", "HYPE too")
t.like(out, "\nBTC%s+420%.0M%s+1%.5B%s+1%.5B%s+3/3%s+ok\n", "BTC still passes")
t.ok(not out:find("\nETH"), "--symbols limits the rows")
out, status = w:run("scripts/check_volume.lua", { "--min-volume", "lots" })
t.is(status, 2, "a bad threshold is a usage error")
t.like(out, "%-%-min%-volume needs a positive decimal", "naming the option")

-- spreads: mids and bid/ask spreads from each venue's own book, gaps between venues
out, status = w:run("scripts/check_spreads.lua", {})
t.is(status, 0, "check_spreads exits 0")
t.like(out, "limit 0%.1%% of mid%) and largest gap between venues' mids %(limit 0%.15%%%)", "the configuration's limits")
t.like(out, "\nHYPE%s+40%.02%s+[%d.]+%%%s+40%.4%s+[%d.]+%%%s+40%s+[%d.]+%%%s+0%.995%%%s+lighter ↑ pacifica%s+WIDE GAP lighter/pacifica\n",
  "HYPE: lighter 1% above pacifica, flagged as a wide gap")
t.like(out, "\nXRP%s.-WIDE SPREAD on edgex\n", "XRP: edgeX's book is wider than 0.1% of its mid")
t.like(out, "\nBTC%s+99995%s+[%d.]+%%%s+100010%s+[%d.]+%%%s+100000%s+[%d.]+%%%s+0%.015%%%s+lighter ↑ edgex%s+ok\n", "BTC: ok")
t.like(out, "8 symbols, 2 flagged", "the summary")
out = w:run("scripts/check_spreads.lua", { "--symbols", "ETH", "--max-gap", "0.01" })
t.like(out, "\nETH%s.-0%.031%%%s+lighter ↑ edgex%s+WIDE GAP lighter/edgex\n", "--max-gap tightens the gap limit")

-- a venue that cannot be reached: the others are shown, the problem named, exit 1
w:write_config { venues = {
  pacifica = w.config.venues.pacifica, lighter = w.config.venues.lighter,
  edgex = { environment = "sim", rest_url = "http://127.0.0.1:9", ws_url = "ws://127.0.0.1:9", api_version = "v2" },
} }
out, status = w:run("scripts/check_volume.lua", { "--symbols", "BTC" })
t.is(status, 1, "an unreachable venue makes check_volume exit 1")
t.like(out, "\nBTC%s+%?%s+1%.5B%s+1%.5B%s+2/2%s+ok\n", "its column shows ?, the others their figures")
t.like(out, "UNREADABLE edgex", "and the problem is named")
out, status = w:run("scripts/check_spreads.lua", { "--symbols", "BTC" })
t.is(status, 1, "check_spreads too")
t.like(out, "UNREADABLE edgex", "naming it")

w:stop()
t.done()
