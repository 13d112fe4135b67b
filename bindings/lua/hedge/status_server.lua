-- hedge.status_server: a small read-only HTTP server on the loop (runtime/status_server.c),
-- for status pages, JSON and metrics. The C side decides access (a token off loopback, the
-- Host rule on loopback), methods (GET and HEAD only) and limits; this side routes.
--
--   local status_server = require "hedge.status_server"
--   local srv, err = status_server.start {
--     listen = "127.0.0.1:8080", token = nil | "secret...",
--     routes = { ["/"] = function(req) return 200, "text/html; charset=utf-8", html, {"Name: value"} end,
--                ["/events"] = function(req) return status_server.STREAM, first_event_text end },
--     owner = hedge.current(),   -- optional: the server closes itself once this task is done
--   }
--   srv:port(); srv:url(); srv:publish("state", json_text); srv:close()
--
-- A handler gets req = {id, path, query, args = {name = value}, head, accept} and returns
-- status, content_type, body [, headers]; it must not wait (it runs in the server's task, one
-- request after the other). A handler that raises answers 500 and is logged; it never stops
-- the server. Unknown paths get 404. Server-sent events: a route returning STREAM keeps the
-- connection open; publish(name, data) sends "event: name" with data to every open stream,
-- and a comment line every 15 s shows readers the stream is alive.
local hedge = require "hedge"
local core = require "hedge.status_core"
local log = require "hedge.log"

local M = { STREAM = {} }

local KEEPALIVE_S = 15

local Server = {}
Server.__index = Server

-- "a=1&b=x y" (already percent-decoded by the server) -> {a = "1", b = "x y"}; the first wins.
local function parse_args(query)
  local args = {}
  for part in query:gmatch("[^&]+") do
    local k, v = part:match("^([^=]*)=?(.*)$")
    if k ~= "" and args[k] == nil then args[k] = v end
  end
  return args
end
M.parse_args = parse_args

-- One server-sent event: every line of data gets its own "data:" field.
function M.event(name, data)
  local parts = {}
  if name then parts[#parts + 1] = "event: " .. name:gsub("[\r\n]", "") .. "\n" end
  for line in (data .. "\n"):gmatch("([^\n]*)\n") do parts[#parts + 1] = "data: " .. line:gsub("\r", "") .. "\n" end
  parts[#parts + 1] = "\n"
  return table.concat(parts)
end

local function answer(self, req)
  local route = self.routes[req.path]
  if not route then
    return self.core:respond(req.id, 404, "text/plain; charset=utf-8", "not found: " .. req.path .. "\n")
  end
  req.args = parse_args(req.query)
  local results = { pcall(route, req) }
  if not results[1] then
    log.error("status", ("handler for %s failed: %s"):format(req.path, tostring(results[2])))
    return self.core:respond(req.id, 500, "text/plain; charset=utf-8", "internal error (see the log)\n")
  end
  local status, content_type, body, headers = results[2], results[3], results[4], results[5]
  if status == M.STREAM then
    self.streams_opened = self.streams_opened + 1
    return self.core:stream(req.id, content_type)
  end
  if type(status) ~= "number" or type(content_type) ~= "string" or type(body) ~= "string" then
    log.error("status", ("handler for %s returned %s, %s, %s instead of status, content type, body"):format(
      req.path, type(status), type(content_type), type(body)))
    return self.core:respond(req.id, 500, "text/plain; charset=utf-8", "internal error (see the log)\n")
  end
  return self.core:respond(req.id, status, content_type, body, headers)
end

local function serve(self)
  local last_keepalive = hedge.mono_ms()
  while not self.closed do
    local req, err = self.core:accept(1)
    if req then
      self.requests = self.requests + 1
      local ok, aerr = answer(self, req)
      if not ok then log.debug("status", ("%s: %s"):format(req.path, tostring(aerr))) end
    elseif err.kind == "closed" then
      break
    end
    if self.owner and self.owner:done() then
      log.debug("status", "the task that started the status server ended; closing it")
      self:close()
    elseif hedge.mono_ms() - last_keepalive >= KEEPALIVE_S * 1000 then
      last_keepalive = hedge.mono_ms()
      self.core:broadcast(": keepalive\n\n")
    end
  end
end

-- start{listen, token?, routes, owner?, answer_timeout?} -> server | nil, err
function M.start(opts)
  if type(opts) ~= "table" then error("status_server.start: expected a table of options", 2) end
  for k in pairs(opts) do
    if k ~= "listen" and k ~= "token" and k ~= "routes" and k ~= "owner" and k ~= "answer_timeout" then
      error("status_server.start: unknown option '" .. tostring(k) .. "'", 2)
    end
  end
  if type(opts.routes) ~= "table" then error("status_server.start: routes must be a table {path = handler}", 2) end
  local c, err = core.listen { listen = opts.listen, token = opts.token, answer_timeout = opts.answer_timeout }
  if not c then return nil, err end
  local self = setmetatable({ core = c, routes = opts.routes, owner = opts.owner, closed = false, requests = 0,
    streams_opened = 0, listen = opts.listen }, Server)
  self.task = hedge.spawn(serve, self)
  return self
end

function Server:port() return self.core:port() end

-- The URL a local client reaches the server at.
function Server:url()
  local host = self.listen:match("^%[(.*)%]:%d+$") or self.listen:match("^(.*):%d+$")
  if host == "0.0.0.0" or host == "localhost" then host = "127.0.0.1" end
  if host == "::" then host = "::1" end
  if host:find(":", 1, true) then host = "[" .. host .. "]" end
  return ("http://%s:%d"):format(host, self:port())
end

-- Sends an event to every open stream; returns how many took it.
function Server:publish(name, data)
  if self.closed then return 0 end
  return self.core:broadcast(M.event(name, data))
end

function Server:stats()
  local st = self.core:stats()
  st.answered = self.requests
  return st
end

function Server:close()
  if self.closed then return end
  self.closed = true
  self.core:close()
end

return M
