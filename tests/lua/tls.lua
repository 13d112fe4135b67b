-- TLS: verification is always on; a private CA is trusted only through ca_file.
local hedge = require "hedge"
local t = require "lib.tap"

-- A throw-away CA-less self-signed certificate for 127.0.0.1, made with the openssl tool.
local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir) == 0)
local cert, key = dir .. "/cert.pem", dir .. "/key.pem"
local rc = os.execute(("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 " ..
  "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout %s -out %s 2>/dev/null"):format(key, cert))
assert(rc == 0, "openssl could not make a test certificate")

local server = require("lib.test_server").start { "--tls-cert", cert, "--tls-key", key }
t.ok(server.https ~= nil and server.wss ~= nil, "server offers https and wss")

-- HTTP/2 first (the server counts connections from its start): concurrent requests are
-- multiplexed on one connection
local h2_results, h2_errs = hedge.parallel(
  function() return hedge.http.get(server.h2 .. "/delay?ms=100&id=1", { ca_file = cert }) end,
  function() return hedge.http.get(server.h2 .. "/delay?ms=100&id=2", { ca_file = cert }) end,
  function() return hedge.http.get(server.h2 .. "/delay?ms=100&id=3", { ca_file = cert }) end)
t.is(next(h2_errs), nil, "three HTTP/2 requests succeeded")
t.is(h2_results[1] and h2_results[1].http_version, 2, "HTTP/2 negotiated over TLS")
local h2_stats = hedge.http.get(server.h2 .. "/stats", { ca_file = cert })
t.like(h2_stats and h2_stats.body, '"connections":1[,}]', "multiplexed on one connection")

local res, err = hedge.http.get(server.https .. "/delay?ms=0", { ca_file = cert })
t.is(res and res.status, 200, "https with the private CA trusted")
t.is(res and res.http_version, 1, "HTTP/1.1 with a server that offers only that")


local none, verr = hedge.http.get(server.https .. "/delay?ms=0")
t.is(none, nil, "https without the CA is refused")
t.is(verr and verr.kind, "network", "as a network error")
t.like(verr and verr.msg, "[Cc]ertificate", "naming the certificate problem")

local conn, werr = hedge.ws.connect(server.wss .. "/echo", { ca_file = cert })
t.ok(conn ~= nil, "wss with the private CA trusted" .. (werr and (": " .. tostring(werr)) or ""))
if conn then
  conn:send("secure")
  t.is(conn:recv(2), "secure", "wss echo")
  conn:close()
end

local localhost = server.https:gsub("127%.0%.0%.1", "localhost")
local res2 = hedge.http.get(localhost .. "/delay?ms=0", { ca_file = cert })
t.is(res2 and res2.status, 200, "host name checked against the certificate's DNS name")

-- Verification cannot be switched off: the only TLS option is ca_file (a CA to trust in addition,
-- for tests); any other spelling of "don't verify" is an unknown option.
for _, opt in ipairs { "verify", "insecure", "ssl_verify_peer", "ssl_verify_host", "tls_verify" } do
  local ok_h, herr = pcall(hedge.http.get, server.https .. "/delay?ms=0", { [opt] = false })
  t.ok(not ok_h and tostring(herr):find("unknown option '" .. opt .. "'", 1, true), "http refuses option " .. opt)
  local ok_w, werr2 = pcall(hedge.ws.connect, server.wss .. "/echo", { [opt] = false })
  t.ok(not ok_w and tostring(werr2):find("unknown option '" .. opt .. "'", 1, true), "ws refuses option " .. opt)
end
-- wss without the CA, in a process of its own (one process keeps one TLS setting for its WebSockets).
local probe = io.popen(string.format("%q -e %q 2>&1", os.getenv("HEDGE_BIN") or "./hedge",
  "local c, e = require('hedge').ws.connect('" .. server.wss .. "/echo', { timeout = 5 }); print(c and 'connected' or ('refused ' .. tostring(e and e.kind) .. ': ' .. tostring(e and e.msg)))"))
local probe_out = probe:read("*a")
probe:close()
t.like(probe_out, "refused network: .*SSL", "wss without the CA is refused in the TLS handshake")
-- (that no source switches the checks off is part of the secrets audit, tests/secrets/canary_audit.lua)

require("lib.test_server").stop(server)
os.execute("rm -rf " .. dir)
t.done()
