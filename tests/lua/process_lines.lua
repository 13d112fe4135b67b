-- hedge.process read_line with output that arrives in pieces: a line written in several
-- writes (as unbuffered stderr through 2>&1 does) is one line, never an error in the middle.
local hedge = require "hedge"
local t = require "lib.tap"

local p = assert(hedge.process.spawn { cmd = "/bin/sh", args = { "-c",
  "printf 'first '; sleep 0.1; printf 'half\\n'; printf 'sec'; sleep 0.1; printf 'ond\\nthird'" } })
p:close_stdin()
local a, aerr = p:read_line(5)
t.is(a, "first half", "a line written in two pieces comes back whole: " .. tostring(aerr))
local b, berr = p:read_line(5)
t.is(b, "second", "and the next one too: " .. tostring(berr))
local c = p:read_line(5)
t.is(c, "third", "a last line without a newline comes at the end of output")
local d, derr = p:read_line(5)
t.ok(d == nil and derr and derr.msg:match("closed its output"), "then the end of output is reported")
t.is(p:wait(5), 0, "exit status 0")

-- Many short-lived children, each writing its only line in fragments.
local lost = 0
for _ = 1, 10 do
  local q = assert(hedge.process.spawn { cmd = "/bin/sh", args = { "-c", "printf 'x'; printf 'y'; printf 'z\\n'" } })
  q:close_stdin()
  if q:read_line(5) ~= "xyz" then lost = lost + 1 end
  q:wait(5)
end
t.is(lost, 0, "no fragmented line lost over 10 children")
t.done()
