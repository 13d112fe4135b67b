-- The strategy's clock. Normally the wall clock; against the simulator it can run `scale` times
-- faster (config time_scale, equal to the simulator's clock scale), so a realistic configuration
-- (8 h holds, 60 s checks) completes cycles in minutes. Only strategy time is scaled: holds,
-- checks, cooldowns, grace periods. Signatures, order expiries and network timeouts keep real
-- time, so the venues see ordinary requests.
local hedge = require "hedge"

local clock = {}

function clock.new(scale)
  scale = scale or 1
  local origin_wall, origin_mono = hedge.now_ms(), hedge.mono_ms()
  local c = { scale = scale }
  function c.now_ms()
    if scale == 1 then return hedge.now_ms() end
    return math.floor(origin_wall + (hedge.mono_ms() - origin_mono) * scale)
  end
  -- Sleeps `seconds` of strategy time; false when a stop was requested meanwhile.
  function c.sleep(seconds) return hedge.sleep_unless_stopped(seconds / scale) end
  return c
end

clock.real = clock.new(1)

return clock
