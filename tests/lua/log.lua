-- hedge.log from Lua: levels and per-module overrides, string.format only with extra
-- arguments, secrets redacted in the file sink (read back) and by log.redact, nil, err for
-- data errors and raises for programmer errors. The console is switched off so that the
-- lines go only to the file the test reads back.
local log = require "hedge.log"
local t = require "lib.tap"

local path = os.tmpname()
t.is(log.open_file(path), true, "open the file sink")
log.set_console_format("json")
log.set_console(false)
log.set_level("info")

log.info("test", "plain %d%% line %s", 5, "x")
log.info("test", "100% literal, no format without arguments")
log.debug("test", "hidden at info")
log.set_level("test.sub", "debug")
log.debug("test.sub", "child override shown")
log.debug("test", "parent still hidden")
t.ok(log.enabled("debug", "test.sub"), "enabled: override applies")
t.ok(not log.enabled("debug", "test"), "enabled: default applies elsewhere")
t.ok(log.enabled("error"), "enabled without a module uses the default")

local SECRET = "hunter2-very-secret"
t.is(log.add_secret(SECRET), true, "secret registered")
log.warn("test", "key=%s%s!", SECRET:sub(1, 7), SECRET:sub(8))
log.error("test", "direct " .. SECRET .. " end")
t.is(log.redact("a " .. SECRET .. " b"), "a [REDACTED] b", "log.redact")
t.is(log.redact("nothing secret"), "nothing secret", "log.redact leaves other text")
local ok, err = log.add_secret("abc")
t.is(ok, nil, "3-byte secret refused")
t.is(err, "secret refused: shorter than 4 bytes, it would redact ordinary text", "... and the reason")
t.is(log.redact("abc"), "abc", "refused secret redacts nothing")
log.close_file()
log.info("test", "after close: not in the file")

local file = assert(io.open(path, "rb"))
local content = file:read("*a")
file:close()
os.remove(path)
local lines = {}
for line in content:gmatch("[^\n]+") do lines[#lines + 1] = line end
t.is(#lines, 5, "five lines reached the file")
local function line_like(i, level, module, msg)
  local pattern = '^{"ts":%d+,"level":"' .. level .. '","module":"' .. module .. '","msg":"' .. msg:gsub("%p", "%%%0") .. '"}$'
  t.like(lines[i], pattern, "line " .. i .. ": " .. msg)
end
line_like(1, "info", "test", "plain 5% line x")
line_like(2, "info", "test", "100% literal, no format without arguments")
line_like(3, "debug", "test.sub", "child override shown")
line_like(4, "warn", "test", "key=[REDACTED]!")
line_like(5, "error", "test", "direct [REDACTED] end")
t.ok(not content:find("hunter2", 1, true), "the secret appears nowhere in the file, not even split")

t.is(log.configure("warn,test=error"), true, "configure")
t.ok(not log.enabled("warn", "test") and log.enabled("warn", "other"), "configure applied")
ok, err = log.configure("warn,test=loud")
t.is(ok, nil, "bad configure spec refused")
t.is(err, "log levels: unknown level 'loud' (trace, debug, info, warn, error, off)", "... naming the level")
ok, err = log.open_file("/nonexistent-dir/x.log")
t.is(ok, nil, "unopenable file refused")
t.like(err, "^cannot open log file '/nonexistent%-dir/x.log': ", "... naming the path and reason")

t.raises(function() log.set_level("loud") end, "unknown log level 'loud'", "unknown level name raises")
t.raises(function() log.info({}, "x") end, "bad argument #1", "non-string module raises")
t.raises(function() log.info("m") end, "bad argument #2", "missing message raises")
t.raises(function() log.warn("m", "%d", "x") end, "number expected, got string", "bad format arguments raise")
t.raises(function() log.set_console_format("xml") end, "invalid option 'xml'", "unknown console format raises")
t.raises(function() log.add_secret(nil) end, "bad argument #1", "add_secret(nil) raises")
t.raises(function() log.set_console("off") end, "bad argument #1", "set_console wants a boolean")

log.set_level("info")
log.set_console(true)
t.done()
