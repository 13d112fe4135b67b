-- Example selection script: settlement-timing aware.
--
-- Funding is paid at discrete settlements, each venue at its own interval (Lighter and Pacifica
-- hourly, edgeX per contract, often every 4 h). The default script (default.lua) values a hold as
-- rate-per-hour × hours, as if funding flowed continuously; over a short hold on a 4-hourly venue
-- that can count a settlement that never happens inside the hold, or miss that one is due in
-- five minutes. This script counts the settlements each leg really sees between now and the end
-- of the hold:
--
--   n = settlements of a leg inside [now, now + hold] (from next_funding_ms and interval_ms)
--   carry = notional × (short.rate × n_short − long.rate × n_long)     (rates per interval)
--   net   = carry − round-trip taker fees − slippage                    (as default.lua)
--
-- and refuses a pair whose short leg would not settle at all during the hold. Everything else
-- (filters, fees, slippage, sizing) is the default's, through select/common.lua.
-- Use it with "selection_script": "scripts/select/settlement_aware.lua".
local common = require "select.common"

local select = {}

-- How many settlements at interval_ms, the next one at next_ms, fall in [now_ms, now_ms + hold_ms].
local function settlements(next_ms, interval_ms, now_ms, hold_ms)
  if not next_ms or not interval_ms or interval_ms <= 0 then return nil end
  local first = next_ms
  while first < now_ms do first = first + interval_ms end   -- a stale next time is moved forward
  local last = now_ms + hold_ms
  if first > last then return 0 end
  return math.floor((last - first) / interval_ms) + 1
end
select.settlements = settlements

function select.rank(snap, config, ctx)
  local hold_ms = config.hold_duration_hours * 3600000
  local rows = {}
  for _, c in ipairs(snap.candidates) do
    local row = common.describe(setmetatable({}, { __index = c }))
    local reason = common.filter(snap, row, config)
    local plan
    if not reason then
      local why
      plan, why = ctx.plan(row)
      reason = why or common.economics(snap, row, plan, config)
    end
    if not reason then
      local lf, sf = row.long_funding, row.short_funding
      local n_long = settlements(lf.next_funding_ms, lf.interval_ms, snap.at_ms, hold_ms)
      local n_short = settlements(sf.next_funding_ms, sf.interval_ms, snap.at_ms, hold_ms)
      row.settlements_long, row.settlements_short = n_long, n_short
      if not n_long or not n_short then
        reason = "no settlement time known for a leg"
      elseif n_short == 0 then
        reason = ("%s does not settle within the %g h hold"):format(row.short_venue, config.hold_duration_hours)
      else
        local notional = plan.notional:to_number()
        row.carry_usd = notional * (sf.rate * n_short - lf.rate * n_long)
        row.expected_net_usd = row.carry_usd - row.fees_usd - row.slippage_usd
        row.net_apr = row.expected_net_usd / notional / config.hold_duration_hours * 8760
        if row.expected_net_usd <= 0 then
          reason = ("loses $%.2f over %d/%d settlements after fees and slippage"):format(-row.expected_net_usd, n_long, n_short)
        elseif row.net_apr * 100 < config.min_net_apr_threshold then
          reason = ("net APR %.2f%% over the settlements in the hold is below %.2f%%"):format(row.net_apr * 100, config.min_net_apr_threshold)
        end
      end
    end
    row.eligible, row.reason = reason == nil, reason
    rows[#rows + 1] = row
  end
  table.sort(rows, function(a, b)
    if a.eligible ~= b.eligible then return a.eligible end
    if a.eligible then return a.expected_net_usd > b.expected_net_usd end
    return a.gross_apr > b.gross_apr
  end)
  return rows
end

return select
