-- The journal interface the strategy writes to (bot.journal over hedge.store in production),
-- kept in memory for execution tests: intents with their status history, and events.
local J = {}
J.__index = J

function J.new() return setmetatable({ intents = {}, events = {}, depth = 0 }, J) end

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
