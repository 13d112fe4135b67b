-- hedge.files: whole-file reads and writes, the two helpers scripts, tools, tests and benches
-- all need (they were written out in each).
--   files.read(path)        -> text | nil when the file is missing or unreadable (one value, so
--                              it can sit inside an argument list or `files.read(p) or ""`)
--   files.write(path, text) -> raises when the file cannot be written
local files = {}

function files.read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read("*a")
  f:close()
  return text
end

function files.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

return files
