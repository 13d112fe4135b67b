-- hedge.svg_chart: line charts as inline SVG text, drawn by hedge itself. The status page and
-- the HTML report show the same charts, and a chart that is plain markup needs no JavaScript
-- and no library in the browser (the page's static parts work with scripts off).
--
--   local svg = require "hedge.svg_chart"
--   local text = svg.line {
--     id = "pnl", title = "Cumulative realised PnL", width = 720, height = 260,
--     series = { {name = "funding", color = "#2a9d8f", points = {{x, y}, ...}, step = true}, ... },
--     x_format = function(x) return ... end, y_format = function(y) return ... end,
--     x_ticks = {x1, x2, ...} (optional: else evenly spaced), empty = "no cycles yet",
--   }
--
-- Every text is escaped; values that are not finite numbers are skipped. The y axis always
-- shows zero when the data cross it (profit and loss), with the zero line drawn stronger.
local M = {}

local function esc(s)
  return (tostring(s):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }))
end
M.escape = esc

local function finite(v) return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge end

-- A round step (1, 2 or 5 times a power of ten) giving about `target` intervals over `range`.
function M.nice_step(range, target)
  if not (range > 0) then return 1 end
  local raw = range / target
  local magnitude = 10 ^ math.floor(math.log10(raw))
  local f = raw / magnitude
  local nice = f <= 1 and 1 or f <= 2 and 2 or f <= 5 and 5 or 10
  return nice * magnitude
end

local function decimals_for(step)
  if step >= 1 then return 0 end
  return math.min(8, math.ceil(-math.log10(step) - 1e-9))
end

local function fmt(v) return ("%.1f"):format(v) end

-- Bounds of every finite point of every series.
local function extent(series)
  local x0, x1, y0, y1
  for _, s in ipairs(series) do
    for _, p in ipairs(s.points or {}) do
      local x, y = p[1], p[2]
      if finite(x) and finite(y) then
        x0, x1 = math.min(x0 or x, x), math.max(x1 or x, x)
        y0, y1 = math.min(y0 or y, y), math.max(y1 or y, y)
      end
    end
  end
  return x0, x1, y0, y1
end

function M.line(o)
  local width, height = o.width or 720, o.height or 260
  local left, right, top, bottom = 64, 36, 28, 44   -- room for the last x label, centred on its tick
  local plot_w, plot_h = width - left - right, height - top - bottom
  local series = o.series or {}
  local out = {}
  local function add(s) out[#out + 1] = s end
  add(('<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="%s" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">')
    :format(esc(o.id or "chart"), width, height, width, height, esc(o.title or "chart")))
  add("<title>" .. esc(o.title or "chart") .. "</title>")
  add(('<rect x="0" y="0" width="%d" height="%d" fill="#ffffff" stroke="#d0d4da"/>'):format(width, height))
  add(('<text x="%d" y="18" font-size="13" font-weight="bold" fill="#222">%s</text>'):format(left, esc(o.title or "")))
  local x0, x1, y0, y1 = extent(series)
  if not x0 then
    add(('<text class="chart-empty" x="%s" y="%s" font-size="13" fill="#777" text-anchor="middle">%s</text>')
      :format(fmt(width / 2), fmt(height / 2), esc(o.empty or "no data yet")))
    add("</svg>")
    return table.concat(out)
  end
  -- Zero in view when the data come near it; a flat line still gets a band.
  if y0 > 0 and y0 < (y1 - y0) * 2 then y0 = 0 end
  if y1 < 0 and -y1 < (y1 - y0) * 2 then y1 = 0 end
  if y1 == y0 then
    local pad = math.abs(y0) > 0 and math.abs(y0) * 0.1 or 1
    y0, y1 = y0 - pad, y1 + pad
  end
  local step = M.nice_step(y1 - y0, 5)
  y0 = math.floor(y0 / step + 1e-9) * step
  y1 = math.ceil(y1 / step - 1e-9) * step
  if x1 == x0 then x0, x1 = x0 - 1, x1 + 1 end
  local function px(x) return left + (x - x0) / (x1 - x0) * plot_w end
  local function py(y) return top + (y1 - y) / (y1 - y0) * plot_h end
  local decimals = decimals_for(step)
  local y_format = o.y_format or function(v) return ("%." .. decimals .. "f"):format(v) end
  local x_format = o.x_format or function(v) return ("%g"):format(v) end

  -- grid and y labels
  local n_steps = math.floor((y1 - y0) / step + 0.5)
  for i = 0, n_steps do
    local v = y0 + i * step
    if math.abs(v) < step * 1e-9 then v = 0 end
    local y = py(v)
    local zero = v == 0
    add(('<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="%s" stroke-width="%s"/>')
      :format(left, fmt(y), width - right, fmt(y), zero and "#888" or "#e6e8eb", zero and "1.5" or "1"))
    add(('<text x="%d" y="%s" font-size="11" fill="#555" text-anchor="end">%s</text>'):format(left - 6, fmt(y + 4), esc(y_format(v))))
  end
  -- x labels
  local ticks = o.x_ticks
  if not ticks then
    ticks = {}
    local n = math.min(6, math.max(1, o.x_tick_count or 5))
    for i = 0, n do ticks[#ticks + 1] = x0 + (x1 - x0) * i / n end
  end
  for _, x in ipairs(ticks) do
    if finite(x) and x >= x0 and x <= x1 then
      add(('<text x="%s" y="%d" font-size="11" fill="#555" text-anchor="middle">%s</text>'):format(fmt(px(x)), height - bottom + 16, esc(x_format(x))))
    end
  end
  add(('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>'):format(left, top + plot_h, width - right, top + plot_h))

  -- series
  local legend_x = left
  for _, s in ipairs(series) do
    local pts = {}
    local prev
    for _, p in ipairs(s.points or {}) do
      if finite(p[1]) and finite(p[2]) then
        if s.step and prev then pts[#pts + 1] = fmt(px(p[1])) .. "," .. fmt(py(prev[2])) end
        pts[#pts + 1] = fmt(px(p[1])) .. "," .. fmt(py(p[2]))
        prev = p
      end
    end
    local color = s.color or "#264653"
    add(('<g class="series" data-name="%s" data-points="%d">'):format(esc(s.name or ""), #(s.points or {})))
    if #pts > 1 then
      add(('<polyline fill="none" stroke="%s" stroke-width="%s" points="%s"/>'):format(esc(color), s.width or "2", table.concat(pts, " ")))
    end
    if s.markers ~= false then
      for _, p in ipairs(s.points or {}) do
        if finite(p[1]) and finite(p[2]) and #(s.points) <= 60 then
          add(('<circle cx="%s" cy="%s" r="2.5" fill="%s"><title>%s: %s at %s</title></circle>')
            :format(fmt(px(p[1])), fmt(py(p[2])), esc(color), esc(s.name or ""), esc(y_format(p[2])), esc(x_format(p[1]))))
        end
      end
    end
    add("</g>")
    -- legend
    add(('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>'):format(legend_x, height - 14, esc(color)))
    add(('<text x="%d" y="%d" font-size="11" fill="#333">%s</text>'):format(legend_x + 14, height - 5, esc(s.name or "")))
    legend_x = legend_x + 24 + 7 * #(s.name or "")
  end
  add("</svg>")
  return table.concat(out)
end

return M
