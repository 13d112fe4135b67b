-- hedge.status_server from Lua: routes, 404 and 500, query arguments, HEAD, server-sent events,
-- the token off loopback, the Host rule on loopback, closing (by hand and when the owner task
-- ends), and programmer errors. Requests come from hedge.http and from curl (HEAD, streams).
local hedge = require "hedge"
local t = require "lib.tap"
local status_server = require "hedge.status_server"

hedge.log.set_level(os.getenv("TEST_LOG") or "off")

local TOKEN = "lua-test-token-0123456789"

local function get(url, headers)
  local res, err = hedge.http.request { url = url, headers = headers, timeout = 5 }
  if not res then return nil, err end
  return res
end

local function curl(args)
  local p = assert(hedge.process.spawn { cmd = "curl", args = args })
  local lines = {}
  while true do
    local line = p:read_line(5)
    if not line then break end
    lines[#lines + 1] = line
  end
  p:wait(5)
  return lines
end

local calls = 0
local srv = assert(status_server.start {
  listen = "127.0.0.1:0",
  routes = {
    ["/"] = function(req)
      calls = calls + 1
      return 200, "text/plain; charset=utf-8", "hello " .. (req.args.name or "nobody"), { "x-route: root" }
    end,
    ["/boom"] = function() error("a handler bug") end,
    ["/bad"] = function() return "not a status" end,
    ["/events"] = function() return status_server.STREAM, status_server.event("hello", "first") end,
  },
})
local base = srv:url()
t.like(base, "^http://127%.0%.0%.1:%d+$", "the server reports its URL: " .. base)

local res = get(base .. "/?name=ada&name=bob&x")
t.is(res and res.status, 200, "GET / answered by the route")
t.is(res and res.body, "hello ada", "query arguments decoded; the first of a repeated name wins")
t.is(res and res.headers["x-route"], "root", "the route's extra header is sent")
t.is(res and res.headers["cache-control"], "no-store", "and the server's own no-store")
res = get(base .. "/nothing/here")
t.is(res and res.status, 404, "an unknown path is 404")
res = get(base .. "/boom")
t.is(res and res.status, 500, "a handler that raises answers 500")
t.like(res and res.body, "internal error", "without the error text (it goes to the log)")
res = get(base .. "/bad")
t.is(res and res.status, 500, "a handler returning something else than status, type, body answers 500")
res = get(base .. "/")
t.is(res and res.status, 200, "the server keeps serving after handler failures")

local head = curl { "-sI", base .. "/" }
t.like(head[1] or "", "^HTTP/1%.1 200", "HEAD is answered")
local saw_length
for _, l in ipairs(head) do if l:lower():match("^content%-length: 12") then saw_length = true end end
t.ok(saw_length, "HEAD gives the length a GET would have ('hello nobody': 12 bytes)")

local post = curl { "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "x=1", base .. "/" }
t.is(post[1], "405", "POST is refused before any route runs")
local calls_before = calls
local foreign = curl { "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: attacker.example", base .. "/" }
t.is(foreign[1], "403", "a foreign Host header is refused on loopback (DNS rebinding)")
t.is(calls, calls_before, "the route never saw the refused requests")

-- server-sent events: a stream, then two publishes
local p = assert(hedge.process.spawn { cmd = "curl", args = { "-sN", base .. "/events" } })
local first = {}
for _ = 1, 3 do first[#first + 1] = p:read_line(5) end
t.is(table.concat(first, "|"), "event: hello|data: first|", "the stream starts with the route's first event")
local deadline = hedge.mono_ms() + 5000
while srv:stats().streams < 1 and hedge.mono_ms() < deadline do hedge.sleep(0.02) end
t.is(srv:publish("update", "line one\nline two"), 1, "publish reaches the one open stream")
local got = {}
for _ = 1, 4 do got[#got + 1] = p:read_line(5) end
t.is(table.concat(got, "|"), "event: update|data: line one|data: line two|", "a multi-line event is split into data lines")
p:kill()
p:wait(5)
-- A reader that left is noticed at the latest when the next event (or the 15 s keepalive)
-- cannot be written.
deadline = hedge.mono_ms() + 5000
while srv:stats().streams > 0 and hedge.mono_ms() < deadline do
  srv:publish("update", "anyone?")
  hedge.sleep(0.05)
end
t.is(srv:stats().streams, 0, "a reader that leaves is forgotten")
t.is(srv:publish("update", "nobody"), 0, "publishing with no reader reaches none")

-- the token off loopback
local open, oerr = status_server.start { listen = "0.0.0.0:0", routes = {} }
t.ok(open == nil and oerr.kind == "bad_request" and oerr.msg:find("needs a token"), "0.0.0.0 without a token is refused: " .. tostring(oerr))
local short, serr = status_server.start { listen = "0.0.0.0:0", token = "short", routes = {} }
t.ok(short == nil and serr.msg:find("shorter than 16"), "a short token is refused: " .. tostring(serr))
local guarded = assert(status_server.start { listen = "0.0.0.0:0", token = TOKEN,
  routes = { ["/"] = function() return 200, "text/plain", "secret positions" end } })
local gurl = ("http://127.0.0.1:%d/"):format(guarded:port())
res = get(gurl)
t.is(res and res.status, 401, "bound off loopback: a request without the token is refused")
t.ok(res and not res.body:find("secret positions"), "and sees nothing")
t.like(res and res.headers["www-authenticate"], "^Basic", "401 asks for credentials")
res = get(gurl, { Authorization = "Bearer " .. TOKEN:sub(1, -2) .. "X" })
t.is(res and res.status, 401, "a wrong token is refused")
res = get(gurl, { Authorization = "Bearer " .. TOKEN })
t.is(res and res.status, 200, "the right token is accepted")
t.is(res and res.body, "secret positions", "and the route answers")
local basic = curl { "-s", "-u", "me:" .. TOKEN, gurl }
t.is(basic[1], "secret positions", "Basic with the token as password works (what a browser sends)")
t.is(guarded:stats().refused_auth, 2, "the server counted two refusals")
guarded:close()

-- closing
local port = srv:port()
srv:close()
res = get(("http://127.0.0.1:%d/"):format(port))
t.ok(res == nil, "after close the port no longer answers")
hedge.sleep(1.2)
t.ok(srv.task:done(), "the serving task ended")

-- the owner: a server started by a task closes itself when that task ends
local owned
local owner = hedge.spawn(function()
  owned = assert(status_server.start { listen = "127.0.0.1:0", routes = {}, owner = hedge.current() })
end)
owner:join()
deadline = hedge.mono_ms() + 3000
while not owned.closed and hedge.mono_ms() < deadline do hedge.sleep(0.05) end
t.ok(owned.closed, "a server whose owner task ended closes itself")

-- programmer errors raise
t.raises(function() status_server.start { listen = "127.0.0.1:0", routes = {}, colour = "red" } end, "unknown option 'colour'",
  "an unknown option raises")
t.raises(function() status_server.start { listen = "127.0.0.1:0" } end, "routes must be a table", "routes are required")
local bad, berr = status_server.start { listen = "example.com:80", routes = {} }
t.ok(bad == nil and berr.kind == "bad_request" and berr.msg:find("not a numeric IP"), "a host name is a data error: " .. tostring(berr))

t.done()
