-- The fault matrix as text: rows venue × phase, columns the faults, each cell PASS (with how many
-- simulated seconds after the fault ended the end state held), FAIL, N/A, or "." (not run this
-- time), then a note for every N/A and FAIL saying why.
local cells = require "lib.fault_cells"

local M = {}

local SHORT = { ["429"] = "429", ["5xx"] = "5xx", delay = "delay", timeout_after_accept = "tmo_acc", ws_drop = "ws_drop",
  ws_gap = "ws_gap", reject = "reject", partial_fill = "partial", nonce = "nonce", stale = "stale", down = "down" }

local function key(venue, phase, fault) return venue .. ":" .. phase .. ":" .. fault end

local function cell_text(r)
  if not r then return "." end
  if r.status == "PASS" then return ("PASS %ds"):format(math.floor((r.settle_s or 0) + 0.5)) end
  return r.status
end

-- M.render(results) -> list of lines. results: {key = result} (key "venue:phase:fault").
function M.render(results, header)
  local lines = {}
  lines[#lines + 1] = header
  local row = { ("%-17s"):format("venue x phase") }
  for _, f in ipairs(cells.FAULTS) do row[#row + 1] = ("%-8s"):format(SHORT[f]) end
  lines[#lines + 1] = table.concat(row, " ")
  local notes = {}
  for _, v in ipairs(cells.VENUES) do
    for _, p in ipairs(cells.PHASES) do
      row = { ("%-17s"):format(v .. " x " .. p) }
      for _, f in ipairs(cells.FAULTS) do
        local r = results[key(v, p, f)]
        row[#row + 1] = ("%-8s"):format(cell_text(r))
        if r and r.status ~= "PASS" then notes[#notes + 1] = ("%s %s: %s"):format(key(v, p, f), r.status, r.reason) end
      end
      lines[#lines + 1] = table.concat(row, " ")
    end
  end
  local counts = { PASS = 0, FAIL = 0, ["N/A"] = 0 }
  for _, r in pairs(results) do counts[r.status] = (counts[r.status] or 0) + 1 end
  lines[#lines + 1] = ("cells: %d PASS, %d FAIL, %d N/A; PASS Ns = end state held N simulated s after the fault ended (limit 60)"):format(
    counts.PASS, counts.FAIL, counts["N/A"])
  local nonce = {}
  for _, v in ipairs(cells.VENUES) do nonce[#nonce + 1] = v .. " " .. cells.DIALECT[v].nonce.says end
  lines[#lines + 1] = "nonce column, each venue's refusal: " .. table.concat(nonce, "; ")
  lines[#lines + 1] = ("delay: the order or read lands %d s later (after the client's %d s timeout and the %d s the bot looks for it); down: %d simulated minutes"):format(
    cells.LATE_MS / 1000, cells.CLIENT_TIMEOUT_S, cells.RECONCILE_S, cells.DOWN_MS / 60000)
  for _, n in ipairs(notes) do lines[#lines + 1] = n end
  return lines
end

M.key = key
return M
