-- What edgeX booked for the account, for venues.edgex: the fills of given orders with their fees
-- and realised PnL (the client's fills(), order/getHistoryOrderFillTransactionPage) and the
-- funding payments of a contract (account/getPositionTransactionPage, type SETTLE_FUNDING_FEE,
-- spec §4.2). The strategy builds a cycle's PnL split from these.
--
--   client:fills_for(symbol, orders) -> {fill, ...}, newest first
--     orders = {{client_id = "...", order_id = "venue id"?}, ...}; fill = {id, order_id,
--     client_id (as given), symbol, side, size, price, notional, fee (D, + = paid), realized_pnl,
--     liquidity, timestamp (ms), info}. Fill records carry no client id: an order given only by
--     client id is looked up first.
--   client:funding_payments(symbol, {since_ms?, until_ms?}) -> {payment, ...}, newest first
--     payment = {id, symbol, amount (D, + = received: deltaFundingFee), rate (text), size (D,
--     signed as edgeX writes it), timestamp (ms), info}
local D = require "hedge.decimal"
local B = require "venues.base"

local M = {}

local PAGE = "100"

function M.extend(Client)
  function Client:fills_for(symbol, orders)
    if type(symbol) ~= "string" then error("fills_for: symbol must be a string", 2) end
    if type(orders) ~= "table" then error("fills_for: orders must be a list", 2) end
    local by_order = {}
    for i, o in ipairs(orders) do
      if type(o) ~= "table" or (o.client_id == nil and o.order_id == nil) then
        error(("fills_for: orders[%d] must be {client_id = ..., order_id = ...}"):format(i), 2)
      end
      local id = o.order_id ~= nil and tostring(o.order_id) or nil
      if not id then
        local found, err = self:order(tostring(o.client_id), symbol)
        if found then id = found.id
        elseif err.kind ~= "order_not_found" then err.op = "fills_for"; return nil, err end
      end
      if id then by_order[id] = o end
    end
    local fills, err = self:fills(symbol, { limit = tonumber(PAGE) })
    if not fills then err.op = "fills_for"; return nil, err end
    local out = {}
    for _, f in ipairs(fills) do
      local entry = by_order[tostring(f.order_id)]
      if entry then
        out[#out + 1] = {
          id = f.id, order_id = tostring(f.order_id), client_id = entry.client_id, symbol = symbol, side = f.side,
          size = f.size, price = f.price, notional = f.value or f.size * f.price, fee = f.fee or D("0"),
          realized_pnl = f.pnl, liquidity = f.role, timestamp = tonumber(f.timestamp), info = f.info,
        }
      end
    end
    return out
  end

  function Client:funding_payments(symbol, opts)
    opts = B.check_payment_window(symbol, opts)
    local m, merr = self:market(symbol)
    if not m then merr.op = "funding_payments"; return nil, merr end
    local r, err = self:_private("funding_payments", "GET", "account/getPositionTransactionPage", {
      query = { filterTypeList = "SETTLE_FUNDING_FEE", filterContractIdList = m.id, size = PAGE }, kind = "raw" })
    if not r then return nil, err end
    local rows = type(r.data) == "table" and r.data.dataList
    if type(rows) ~= "table" then return B.bad_response(self, "funding_payments", "data.dataList: missing", r.data) end
    local out = {}
    for i, row in ipairs(rows) do
      local at = tonumber(row.createdTime)
      local amount = type(row.deltaFundingFee) == "string" and D.parse(row.deltaFundingFee) or nil
      if not at or not amount then
        return B.bad_response(self, "funding_payments", ("dataList[%d]: createdTime and deltaFundingFee must be decimal strings"):format(i), row)
      end
      if row.type == "SETTLE_FUNDING_FEE" and B.in_payment_window(at, opts) then
        out[#out + 1] = {
          id = row.id, symbol = symbol, amount = amount, rate = row.fundingRate,
          size = type(row.fundingPositionSize) == "string" and D.parse(row.fundingPositionSize) or nil, timestamp = at, info = row,
        }
      end
    end
    return out
  end
end

return M
