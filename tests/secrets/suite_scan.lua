-- The secrets check after the whole suite (run by `make test` once prove has finished): every
-- file under the given folders — each test's stdout and stderr as tests/run captured them
-- (TEST_OUTPUT_DIR), the artefacts tests keep — is searched for the canary keys every venue is
-- configured with throughout the suite (tests/secrets/canaries.lua), in every encoding.
--   hedge tests/secrets/suite_scan.lua DIR...
-- Prints one line per file with hits (canary and encoding, never the value) and a summary;
-- exits 1 on any hit or when a folder holds nothing to search (a capture that silently stopped
-- working must not pass).
package.path = "tests/secrets/?.lua;" .. package.path
local Canaries = require "canaries"

local canaries = Canaries.load()
local private = os.tmpname()
os.remove(private)
assert(os.execute("mkdir -p " .. Canaries.shell_quote(private)) == 0)
local search, needle_count = Canaries.searcher(canaries, private)

local function finish(code)
  os.execute("rm -rf " .. Canaries.shell_quote(private))
  os.exit(code)
end

local control = private .. "/control"
local f = assert(io.open(control, "wb"))
f:write(Canaries.control_text(canaries))
f:close()
local found = 0
for _ in pairs(search(control)) do found = found + 1 end
if found ~= #canaries then
  print(("secrets: the search found %d of %d canaries in its control file"):format(found, #canaries))
  finish(1)
end

local files, bytes, total = 0, 0, 0
for _, dir in ipairs(arg) do
  local listing = io.popen("find " .. Canaries.shell_quote(dir) .. " -type f 2>/dev/null | sort")
  local in_dir = 0
  for path in listing:lines() do
    in_dir, files = in_dir + 1, files + 1
    bytes = bytes + #(Canaries.read(path) or "")
    local list = {}
    for what, n in pairs(search(path)) do list[#list + 1] = ("%s x%d"):format(what, n); total = total + n end
    if #list > 0 then
      table.sort(list)
      print(("secrets: %s: %s"):format(path, table.concat(list, ", ")))
    end
  end
  listing:close()
  if in_dir == 0 and dir:find("test%-output") then
    print(("secrets: nothing to search in %s (did tests/run capture the outputs?)"):format(dir))
    finish(1)
  end
end
print(("secrets: %d canary hits in the whole suite's output (%d files, %.1f MB; %d canaries, %d windows of %d characters)")
  :format(total, files, bytes / 1e6, #canaries, needle_count, Canaries.WINDOW))
finish(total == 0 and 0 or 1)
