-- Which of the bot's moments become alerts (lib/alerts.lua sends them and rate-limits them).
-- The state machine calls these after the step that can reveal each condition:
--
--   alerting.analysis(m, snap_or_nil, err)   a venue's funding convention check failed
--   alerting.open_failed(m, row, err)        a leg filled alone (naked until unwound) / the unwind failed
--   alerting.holding(m, h, status)           leg missing or liquidated, sizes differ, stop-loss, margin
--   alerting.emergency_close_failed(m, h, err)
-- Recovery raises naked_leg / failed_unwind itself (bot/recovery.lua) and Machine:set_state
-- raises halt.
local margin = require "lib.margin"

local alerting = {}

-- The venue errors of an analysis round whose funding convention check failed.
function alerting.analysis(m, snap, err)
  local failed = (snap and snap.failed) or (err and err.failed) or {}
  for venue, e in pairs(failed) do
    if type(e) == "table" and e.code == "funding_unit_mismatch" then
      m:alert("funding_mismatch", { venue = venue,
        message = ("%s's funding rates do not match the venue's own settlements (%s); the venue is left out"):format(venue, tostring(e.msg)) })
    end
  end
end

function alerting.open_failed(m, row, err)
  if type(err) ~= "table" then return end
  if err.naked and #err.naked > 0 then
    m:alert("failed_unwind", { symbol = row.symbol, venue = err.naked[1],
      message = ("opening %s failed and the unwind did not complete: still open on %s (%s)"):format(row.symbol,
        table.concat(err.naked, ", "), tostring(err.msg)) })
  elseif err.filled_alone and #err.filled_alone > 0 then
    m:alert("naked_leg", { symbol = row.symbol, venue = err.filled_alone[1],
      message = ("%s: the leg on %s filled without its partner and was unwound (%s)"):format(row.symbol,
        table.concat(err.filled_alone, ", "), tostring(err.msg)),
      data = { long_venue = row.long_venue, short_venue = row.short_venue, unwound = true } })
  end
end

function alerting.holding(m, h, st)
  if not st then return end
  if st.action == "emergency" then
    local kind = st.code == "missing_leg" and "naked_leg" or "imbalance"
    m:alert(kind, { symbol = h.symbol, venue = st.missing and st.missing[1] or nil, message = st.reason .. "; closing what is left",
      data = { long_venue = h.long_venue, short_venue = h.short_venue } })
  elseif st.action == "close" and st.code == "stop_loss" then
    m:alert("stop_loss", { symbol = h.symbol, venue = st.stop and st.stop.worst_venue, message = st.reason })
  end
  local limit = m.alerts and m.alerts.margin_distance_pct
  if limit and st.legs then
    for _, which in ipairs { "long", "short" } do
      local leg = st.legs[which]
      local d = leg and leg.position and margin.liquidation_distance_pct(leg.position)
      if d and d < limit then
        m:alert("margin", { symbol = h.symbol, venue = leg.venue,
          message = ("%s %s leg on %s is %.2f%% from its liquidation price %s (alert below %g%%)"):format(h.symbol, which,
            leg.venue, d, tostring(leg.position.liquidation_price), limit) })
      end
    end
  end
end

function alerting.emergency_close_failed(m, h, err)
  m:alert("failed_unwind", { symbol = h.symbol, message = ("closing what is left of %s failed: %s"):format(h.symbol, tostring(err)) })
end

return alerting
