-- Which pair the bot trades during the crash campaign: the simulator's ETH funding rates are set
-- so that one pair is the best hedge by far, and changed when a close begins, so the next open
-- takes the next pair of a schedule drawn from the seed (every pair and direction in turn, in a
-- shuffled order each round). A regression kill may force its pair for the next open.
--
--   local pairs = require("lib.crash_pairs").new(world, rng, venues)
--   pairs:next()               -- set the next pair's rates now (also done at each close)
--   pairs:force(pair)          -- this pair from now on, until force(nil)
--   pairs:watch()              -- (in a hedge.spawn task) sets the next pair at every "-> CLOSING"
--   pairs:stop(); pairs.current -- {long venue, short venue} of the rates in force
local hedge = require "hedge"

local M = {}
local Pairs = {}
Pairs.__index = Pairs

local ALL = { { "lighter", "pacifica" }, { "lighter", "edgex" }, { "pacifica", "edgex" },
  { "pacifica", "lighter" }, { "edgex", "lighter" }, { "edgex", "pacifica" } }

function M.new(w, rng, venues, rounds)
  local schedule = {}
  for _ = 1, rounds or 50 do
    local round = { 1, 2, 3, 4, 5, 6 }
    for i = #round, 2, -1 do local j = rng(1, i); round[i], round[j] = round[j], round[i] end
    for _, p in ipairs(round) do schedule[#schedule + 1] = ALL[p] end
  end
  return setmetatable({ w = w, venues = venues, schedule = schedule, index = 0, watching = false }, Pairs)
end

-- Rates per hour: long venue -0.00005, short venue 0.0001, the third 0.00001 (edgeX's ETH
-- settles every 4 h, its rate is per interval): 131 % APR gross, far above every other pair.
function Pairs:set(pair)
  for _, v in ipairs(self.venues) do
    local per_hour = v == pair[1] and -0.00005 or v == pair[2] and 0.0001 or 0.00001
    local rate = ("%.8f"):format(v == "edgex" and per_hour * 4 or per_hour)
    self.w.sim:call("POST", "/funding", { venue = v, symbol = "ETH", rate = rate, next_rate = rate })
  end
  self.current = pair
end

function Pairs:next()
  if self.forced then return self:set(self.forced) end
  self.index = self.index + 1
  self:set(self.schedule[(self.index - 1) % #self.schedule + 1])
end

function Pairs:force(pair)
  self.forced = pair
  if pair then self:set(pair) end
end

function Pairs:watch()
  self.watching = true
  local seen = 0
  while self.watching do
    local lines = self.w:log()
    for i = seen + 1, #lines do
      if lines[i].msg and lines[i].msg:find("%-> CLOSING$") then pcall(self.next, self) end
    end
    seen = #lines
    hedge.sleep(0.02)
  end
end

function Pairs:stop() self.watching = false end

return M
