-- hedge.http: HTTP requests that park the calling task (see bindings/http_binding.c).
--   local res, err = http.request{method = "POST", url = u, headers = {...}, body = s, timeout = 5}
--   res.status, res.headers["content-type"], res.body
-- A cancelled task raises instead of getting nil, err (hedge's cancellation rule).
local core = require "hedge.http_core"
local hedge = require "hedge"

local http = {}

function http.request(opts)
  return hedge._check_wait(core.request(opts))
end

function http.get(url, opts)
  local o = { url = url, method = "GET" }
  if opts then for k, v in pairs(opts) do o[k] = v end end
  return http.request(o)
end

function http.post(url, body, opts)
  local o = { url = url, method = "POST", body = body }
  if opts then for k, v in pairs(opts) do o[k] = v end end
  return http.request(o)
end

return http
