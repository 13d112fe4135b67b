-- The journal interface the strategy writes to (bot.journal over hedge.store in production),
-- kept in memory for execution tests: intents with their status history, and events.
local J = {}
J.__index = J

function J.new() return setmetatable({ intents = {}, events = {}, depth = 0, st = { state = "IDLE", cycle = 0 }, cycles = {} }, J) end

function J:state() return self.st end

function J:set_state(fields)
  for k, v in pairs(fields) do self.st[k] = v end
  self.states = self.states or {}
  table.insert(self.states, fields.state)
end

function J:hedge() return self.current end

function J:set_hedge(h)
  if not self.current then self.current = {} end
  for k, v in pairs(h) do self.current[k] = v end
end

function J:clear_hedge(reason)
  if self.current then self.current.close_reason = reason end
  self.current = nil
end

function J:add_cycle(c) self.cycles[#self.cycles + 1] = c end

function J:find_intent(venue, client_id)
  for _, i in ipairs(self.intents) do
    if i.venue == venue and tostring(i.client_id) == client_id then return i end
  end
end

local FINISHED = { filled = true, rejected = true, resolved = true }
function J:open_intents()
  local out = {}
  for _, i in ipairs(self.intents) do if not FINISHED[i.status] then out[#out + 1] = i end end
  return out
end

function J:transaction(fn)
  self.depth = self.depth + 1
  local ok, err = pcall(fn)
  self.depth = self.depth - 1
  if not ok then error(err, 0) end
end

function J:add_intent(fields)
  local row = { status = "pending", history = { "pending" } }
  for k, v in pairs(fields) do row[k] = v end
  self.intents[#self.intents + 1] = row
  row.id = #self.intents
  return row.id
end

function J:update_intent(id, fields)
  local row = assert(self.intents[id], "no intent " .. tostring(id))
  for k, v in pairs(fields) do row[k] = v end
  if fields.status then table.insert(row.history, fields.status) end
end

function J:event(kind, fields)
  self.events[#self.events + 1] = { kind = kind, fields = fields }
end

function J:kinds()
  local out = {}
  for i, e in ipairs(self.events) do out[i] = e.kind end
  return table.concat(out, ",")
end

return J
