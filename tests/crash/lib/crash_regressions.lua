-- Kills that found a bug in the bot, replayed at the start of every campaign run (they count
-- among its kills), each with the seed and kill that first found it. A plan forces the phase,
-- the kill point, the pair and the fault, so the window is met whatever the seed.
--   {name, phase, point, pair = {long, short}?, fault = {type, venue, action}?}
return {
  {
    -- seed 1, kill 1: edgeX's open leg filled 0.25 of 0.85 and the bot died before trimming;
    -- the restart found edgex +0.25 / pacifica -0.85 and halted ("positions the bot cannot
    -- explain") instead of closing its own interrupted open.
    name = "interrupted open with a partial fill (seed 1, kill 1)",
    phase = "OPENING", point = "after_fill", pair = { "edgex", "pacifica" },
    fault = { type = "partial_fill", venue = "edgex", action = { type = "partial_fill", fraction = "0.3" } },
  },
  {
    -- seed 7: killed in CLOSING after both close orders filled; the restart found the venues
    -- flat, cleared the stored hedge and the cycle's record (its PnL) was never written
    -- (cycles 2-6 of that run lost).
    name = "interrupted close after its fills (seed 7, kills 3, 6 ...)",
    phase = "CLOSING", point = "after_fill",
  },
}
