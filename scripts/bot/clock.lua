-- The strategy's clock. Normally the wall clock; against the simulator it can run `scale` times
-- faster (config time_scale, equal to the simulator's clock scale), so a realistic configuration
-- (8 h holds, 60 s checks) completes cycles in minutes. Only strategy time is scaled: holds,
-- checks, cooldowns, grace periods. Signatures, order expiries and network timeouts keep real
-- time, so the venues see ordinary requests.
local hedge = require "hedge"

local clock = {}

-- clock.new(scale [, anchor]) -- anchor = {wall_ms, strategy_ms}: the strategy time at a wall
-- time, kept by the journal (Journal:strategy_clock) so that a restarted bot's scaled time goes
-- on from where the stopped one's went (scaled through the downtime too, like the simulator's
-- clock) instead of starting again at the wall clock: times stored before the restart (open
-- time, target close) keep their meaning.
function clock.new(scale, anchor)
  scale = scale or 1
  local origin_wall, origin_mono = hedge.now_ms(), hedge.mono_ms()
  local origin_strategy = origin_wall
  if anchor then origin_strategy = anchor.strategy_ms + (origin_wall - anchor.wall_ms) * scale end
  local c = { scale = scale, anchor = { wall_ms = origin_wall, strategy_ms = math.floor(origin_strategy) } }
  function c.now_ms()
    if scale == 1 then return hedge.now_ms() end
    return math.floor(origin_strategy + (hedge.mono_ms() - origin_mono) * scale)
  end
  -- Sleeps `seconds` of strategy time; false when a stop was requested meanwhile.
  function c.sleep(seconds) return hedge.sleep_unless_stopped(seconds / scale) end
  return c
end

clock.real = clock.new(1)

return clock
