-- Who may trade a symbol right now: the ownership lock between the bot and manual commands.
--
--   local ownership = require "tools.ownership"
--   local view = ownership.read(s)           -- {bot = {running, pid, db}, hedge = journal's current hedge | nil, journal_error}
--   local ok, why = ownership.check(s, view, "close", "ETH", {force = false})
--
-- The rules (docs/operator-guide.md, "Manual hedging"):
--   * a running bot holds the state database's lock; while it runs, the hedge in its journal is
--     its own: open, close and leverage on that symbol refuse without --force;
--   * while the bot runs, a manual open on any symbol refuses without --force too: the journal
--     has room for one hedge and the bot owns it, so the new pair could only be journalled as
--     orders and events, and the bot would stop on it at its next start;
--   * while the bot is stopped the operator is in charge: a manual open is journalled as the
--     current hedge (owner "manual") when the journal has none, and the bot adopts it at its
--     next start (or refuses it, manual_hedge_policy); closing any hedge by hand is allowed and
--     clears it from the journal.
local session = require "tools.session"

local ownership = {}

function ownership.read(s)
  local view = { bot = session.bot_status(s) }
  local journal, err = session.journal(s, "read")
  if journal then
    local ok, h = pcall(journal.hedge, journal)
    if ok then view.hedge = h else view.journal_error = tostring(h) end
    local ok2, st = pcall(journal.state, journal)
    if ok2 then view.state = st end
    journal:close()
  elseif err and not tostring(err):match("^no state database") then
    view.journal_error = tostring(err)
  end
  return view
end

local function describe(h)
  return ("%s long on %s, short on %s%s"):format(h.symbol, h.long_venue, h.short_venue,
    h.owner == "manual" and " (opened by hand, not yet adopted)" or "")
end
ownership.describe = describe

-- check(s, view, action, symbol, {force}) -> true, notes | nil, reason
-- notes.journal_hedge: whether a manual open may record the current hedge in the journal.
function ownership.check(s, view, action, symbol, opts)
  opts = opts or {}
  local notes = {}
  local bot, h = view.bot, view.hedge
  local running = bot.running and ("the bot is running (pid %s, it holds %s.lock)"):format(bot.pid or "?", bot.db) or nil
  if running and h and h.symbol == symbol then
    if not opts.force then
      return nil, ("%s and holds a hedge on %s (%s): manual %s on %s refuses; stop the bot first, or use --force"):format(
        running, symbol, describe(h), action, symbol)
    end
    notes[#notes + 1] = "--force: acting on the running bot's hedge; it will find its legs changed and stop in ERROR"
  end
  if action == "open" then
    if running then
      if not opts.force then
        return nil, running .. ": a manual open now could not be journalled as a hedge the bot knows (it would stop on it at " ..
          "its next start); stop the bot first, or use --force"
      end
      notes[#notes + 1] = "--force: the bot is running, so this hedge is journalled as orders and events only; close it by hand"
    elseif h then
      if h.symbol == symbol then
        if not opts.force then
          return nil, ("the journal already holds a hedge on %s (%s): close it first, or use --force to add to it"):format(symbol, describe(h))
        end
        notes[#notes + 1] = "--force: adding to the journal's hedge on " .. symbol .. "; the bot will find legs that differ from its record"
      else
        if not opts.force then
          return nil, ("the journal already holds a hedge (%s) and the bot runs one hedge at a time: close it first, or use --force"):format(describe(h))
        end
        notes[#notes + 1] = "--force: the journal holds another hedge; this one is journalled as orders and events only"
      end
    else
      notes.journal_hedge = true
    end
  end
  if view.journal_error then notes[#notes + 1] = "the journal could not be read: " .. view.journal_error end
  return true, notes
end

return ownership
