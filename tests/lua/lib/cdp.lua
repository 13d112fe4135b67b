-- Headless Chromium (Debian's chromium package) driven over the DevTools protocol, with
-- hedge's own HTTP and WebSocket clients: no browser download, no driver, no Node.
--
--   local cdp = require "lib.cdp"
--   local binary = cdp.find()                        -- nil when chromium is not installed
--   local browser = assert(cdp.launch { binary = binary, dir = "/tmp/x" })
--   local page = assert(browser:new_page())
--   page:call("Page.enable"); page:navigate(url)     -- waits for the load event
--   page:eval("document.title")                      -- the value (returnByValue)
--   local png = page:screenshot()                    -- PNG bytes
--   browser:close()
--
-- Calls raise on protocol errors and timeouts: a browser test that cannot drive the browser
-- must stop, not carry on.
local files = require "hedge.files"
local hedge = require "hedge"
local cjson = require "cjson"
local bit = require "bit"

local M = {}

local read_file = files.read

-- The chromium binary: $HEDGE_CHROMIUM, else chromium or chromium-browser on PATH.
function M.find()
  local given = os.getenv("HEDGE_CHROMIUM")
  if given and given ~= "" then return given end
  for _, name in ipairs { "chromium", "chromium-browser" } do
    local p = io.popen("command -v " .. name .. " 2>/dev/null")
    local path = p:read("*l")
    p:close()
    if path and path ~= "" then return path end
  end
  return nil
end

-- ---- base64 (screenshots arrive as base64 PNG) -------------------------------------------------

local B64 = {}
do
  local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  for i = 1, 64 do B64[alphabet:byte(i)] = i - 1 end
end

function M.base64_decode(s)
  s = s:gsub("[^%w%+/=]", "")
  local out, n = {}, 0
  for i = 1, #s, 4 do
    local a, b, c, d = s:byte(i, i + 3)
    local va, vb, vc, vd = B64[a] or 0, B64[b] or 0, B64[c], B64[d]
    local v = bit.bor(bit.lshift(va, 18), bit.lshift(vb, 12), bit.lshift(vc or 0, 6), vd or 0)
    n = n + 1
    out[n] = string.char(bit.band(bit.rshift(v, 16), 255))
    if c and c ~= 61 then n = n + 1; out[n] = string.char(bit.band(bit.rshift(v, 8), 255)) end
    if d and d ~= 61 then n = n + 1; out[n] = string.char(bit.band(v, 255)) end
  end
  return table.concat(out)
end

-- ---- the browser --------------------------------------------------------------------------------

local Browser = {}
Browser.__index = Browser

-- launch{binary, dir, width?, height?} -> browser | nil, err. The profile and the browser's own
-- log go in dir.
function M.launch(o)
  os.execute("mkdir -p '" .. o.dir .. "/profile'")
  local args = {
    o.binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--mute-audio",
    "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" .. o.dir .. "/profile",
    ("--window-size=%d,%d"):format(o.width or 1280, o.height or 1600), "about:blank",
  }
  for i, a in ipairs(args) do args[i] = "'" .. a:gsub("'", "'\\''") .. "'" end
  -- exec: the pid we hold is chromium's own; its stderr (dbus noise) goes to a file.
  local proc, err = hedge.process.spawn { cmd = "/bin/sh", args = { "-c", "exec " .. table.concat(args, " ") ..
    " > '" .. o.dir .. "/chromium.log' 2>&1" } }
  if not proc then return nil, err end
  -- Chromium writes the port it chose (and the browser's path) to DevToolsActivePort.
  local deadline = hedge.mono_ms() + 30000
  local port
  repeat
    local text = read_file(o.dir .. "/profile/DevToolsActivePort")
    port = text and tonumber(text:match("^(%d+)"))
    if not port then hedge.sleep(0.05) end
  until port or hedge.mono_ms() > deadline
  if not port then
    proc:kill(9)
    return nil, "chromium did not open its DevTools port within 30 s: " .. (read_file(o.dir .. "/chromium.log") or ""):sub(-600)
  end
  local self = setmetatable({ proc = proc, port = port, dir = o.dir, pages = {} }, Browser)
  local version = self:json("GET", "/json/version")
  self.version = version and version.Browser
  return self
end

function Browser:json(method, path)
  local res, err = hedge.http.request { method = method, url = ("http://127.0.0.1:%d%s"):format(self.port, path), timeout = 10 }
  if not res then error("DevTools " .. path .. ": " .. tostring(err), 2) end
  if res.status ~= 200 then error(("DevTools %s: HTTP %d %s"):format(path, res.status, res.body), 2) end
  return cjson.decode(res.body)
end

local Page = {}
Page.__index = Page

-- A new tab, connected over its own WebSocket.
function Browser:new_page()
  local target = self:json("PUT", "/json/new?about:blank")
  local conn, err = hedge.ws.connect(target.webSocketDebuggerUrl, { timeout = 10 })
  if not conn then error("DevTools WebSocket: " .. tostring(err), 2) end
  local page = setmetatable({ conn = conn, target = target, next_id = 0, events = {} }, Page)
  self.pages[#self.pages + 1] = page
  return page
end

function Browser:close()
  for _, p in ipairs(self.pages) do p.conn:close() end
  self.proc:kill(15)
  if not self.proc:wait(10) then self.proc:kill(9); self.proc:wait(5) end
end

-- Receives one message; events are queued, answers returned.
local function receive(page, deadline)
  local left = (deadline - hedge.mono_ms()) / 1000
  if left <= 0 then return nil, "timeout" end
  local text, err = page.conn:recv(left)
  if not text then return nil, err end
  return cjson.decode(text)
end

-- page:call(method, params, timeout) -> result table (raises on an error answer or timeout)
function Page:call(method, params, timeout)
  self.next_id = self.next_id + 1
  local id = self.next_id
  local msg = { id = id, method = method }
  if params then msg.params = params end
  local sent, serr = self.conn:send(cjson.encode(msg))
  if not sent then error(method .. ": " .. tostring(serr), 2) end
  local deadline = hedge.mono_ms() + (timeout or 15) * 1000
  while true do
    local m, err = receive(self, deadline)
    if not m then error(("%s: no answer (%s)"):format(method, tostring(err)), 2) end
    if m.id == id then
      if m.error then error(("%s: %s"):format(method, cjson.encode(m.error)), 2) end
      return m.result
    elseif m.method then
      self.events[#self.events + 1] = m
    end
  end
end

-- page:wait_event(name, timeout) -> params of the first queued or new event with that name.
function Page:wait_event(name, timeout)
  for i, e in ipairs(self.events) do
    if e.method == name then table.remove(self.events, i); return e.params end
  end
  local deadline = hedge.mono_ms() + (timeout or 15) * 1000
  while true do
    local m, err = receive(self, deadline)
    if not m then error(("waiting for %s: %s"):format(name, tostring(err)), 2) end
    if m.method == name then return m.params end
    if m.method then self.events[#self.events + 1] = m end
  end
end

function Page:navigate(url, timeout)
  self.events = {}
  self:call("Page.enable")
  local r = self:call("Page.navigate", { url = url })
  if r.errorText then error("navigate " .. url .. ": " .. r.errorText, 2) end
  self:wait_event("Page.loadEventFired", timeout or 20)
end

-- The value of a JavaScript expression in the page (DevTools evaluates even with the page's
-- own scripts disabled).
function Page:eval(expression)
  local r = self:call("Runtime.evaluate", { expression = expression, returnByValue = true })
  if r.exceptionDetails then error("eval " .. expression .. ": " .. cjson.encode(r.exceptionDetails), 2) end
  local v = r.result and r.result.value
  if v == cjson.null then return nil end
  return v
end

-- page:wait_for(expression, timeout, what) -> the expression's first truthy value
function Page:wait_for(expression, timeout, what)
  local deadline = hedge.mono_ms() + (timeout or 10) * 1000
  while true do
    local v = self:eval(expression)
    if v and v ~= false then return v end
    if hedge.mono_ms() > deadline then error(("timed out after %g s waiting for %s"):format(timeout or 10, what or expression), 2) end
    hedge.sleep(0.05)
  end
end

function Page:screenshot()
  local r = self:call("Page.captureScreenshot", { format = "png", captureBeyondViewport = true }, 30)
  return M.base64_decode(r.data)
end

return M
