-- The canary keys and how to search for them, shared by the secrets audit (canary_audit.lua) and
-- the scan of the whole suite's output (suite_scan.lua). The canaries are the simulator's made-up
-- keys of .env.example — the ones every venue is configured with throughout the test suite — plus
-- any extra {name, kind, value} a caller adds. Any WINDOW characters in a row of any encoding
-- (tests/secrets/encodings.lua) count as a hit, so a truncated key is a leak too. Hits are named
-- by variable and encoding, never by value.
local files = require "hedge.files"
local E = require "encodings"

local C = {}
C.WINDOW = 16
C.LIST = {
  { name = "API_KEY_PRIVATE_KEY", kind = "hex" },
  { name = "API_PRIVATE", kind = "base58" },
  { name = "EDGEX_TRADING_PRIVATE_KEY", kind = "hex" },
  { name = "EDGEX_STARK_PRIVATE_KEY", kind = "hex" },
  { name = "EDGEX_API_SECRET", kind = "token" },
  { name = "EDGEX_API_PASSPHRASE", kind = "token" },
  { name = "EDGEX_API_KEY", kind = "token" },
}

local read = files.read
C.read = read

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
C.shell_quote = shell_quote

-- C.load(example_text) -> canaries (C.LIST with .value filled from .env.example, commented-out
-- lines included: the v1 Stark key is one).
function C.load(example)
  example = example or assert(read(".env.example"), ".env.example is missing")
  local list = {}
  for i, c in ipairs(C.LIST) do
    local value = example:match("\n" .. c.name .. "=([^\n]+)") or example:match("\n#%s*" .. c.name .. "=([^\n%s]+)")
    list[i] = { name = c.name, kind = c.kind, value = assert(value, c.name .. " not found in .env.example") }
  end
  return list
end

-- C.searcher(canaries, private_dir) -> search(path) -> {description = count}, needle_count.
-- The needles file lives in private_dir, which must not be among the searched places.
function C.searcher(canaries, private_dir)
  local needles, needle_of = {}, {}
  for _, c in ipairs(canaries) do
    for _, enc in ipairs(E.encodings(c.value, c.kind)) do
      local text = enc[2]
      for i = 1, math.max(1, #text - C.WINDOW + 1) do
        local window = text:sub(i, i + C.WINDOW - 1)
        if not needle_of[window] then
          needle_of[window] = c.name .. " (" .. enc[1] .. ")"
          needles[#needles + 1] = window
        end
      end
    end
  end
  local needles_file, result = private_dir .. "/needles", private_dir .. "/grep.out"
  local f = assert(io.open(needles_file, "wb"))
  f:write(table.concat(needles, "\n"), "\n")
  f:close()
  local function search(path)
    os.execute(("grep -a -o -F -f %s %s > %s 2>/dev/null"):format(shell_quote(needles_file), shell_quote(path),
      shell_quote(result)))
    local hits = {}
    for line in (read(result) or ""):gmatch("[^\n]+") do
      local what = needle_of[line] or "a canary window"
      hits[what] = (hits[what] or 0) + 1
    end
    return hits
  end
  return search, #needles
end

-- A control text holding one encoding (the last) of each canary: a search must find them all.
function C.control_text(canaries)
  local lines = {}
  for _, c in ipairs(canaries) do
    local encs = E.encodings(c.value, c.kind)
    lines[#lines + 1] = "value: " .. encs[#encs][2] .. " end"
  end
  return table.concat(lines, "\n")
end

return C
