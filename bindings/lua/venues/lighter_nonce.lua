-- venues.lighter_nonce: the nonce sequencer of one Lighter API key (lighter.md §8).
--
--   local seq = N.for_key(client, account_index, api_key_index)   -- one per (venue host, account, key)
--   local result, err = seq:submit(job)
--     job.build(nonce) -> signed tx | nil, err      signs with the nonce it is given
--     job.send(signed) -> result | nil, err         sends it (err.outcome "rejected" | "unknown")
--     job.nonces_used                               a batch: how many consecutive nonces it signs
--
-- Lighter executes a key's txs strictly in nonce order and refuses any other nonce with 21104
-- "invalid nonce"; only an accepted tx consumes its nonce. So the sequencer:
--   * learns the next nonce from GET nextNonce (on first use, and again after anything that
--     leaves it unsure), then allocates locally, +1 per accepted tx, and never hands out a nonce
--     an accepted tx used;
--   * sends one tx at a time per key, in submission order: callers may sign and submit from many
--     tasks at once (20 orders placed together), each waits for its own turn, nonces come out
--     consecutive and the venue sees them in order. Signing happens at the head of the queue, so
--     a tx is always signed with the nonce it is sent with (no re-signing of queued txs after a
--     failure); signing costs tens of microseconds;
--   * on 21104 re-reads nextNonce and re-signs and resends that same tx (at most twice);
--   * on any other refusal leaves the counter where it was (the venue did not consume it);
--   * on an unknown outcome (timeout, 5xx, dropped connection after the bytes left) marks the
--     counter unsure: the next tx first re-reads nextNonce, which shows whether the venue took it.
--     If it did not advance, the nonce is only reused once the venue does not know the tx by its
--     hash (or reports it failed): spec §8 forbids a second tx with the nonce of one still pending,
--     so while the venue lists it as pending the key waits (bounded) for the nonce to move.
local hedge = require "hedge"

local N = {}
local Sequencer = {}
Sequencer.__index = Sequencer

local INVALID_NONCE = 21104
local MAX_NONCE_RETRIES = 2
-- How long a key waits for a tx the venue still lists as pending before giving up on sending.
local PENDING_WAIT_S = 15
local TX_FAILED = 0
local registry = setmetatable({}, { __mode = "v" })

function N.new(client, account_index, api_key_index)
  return setmetatable({
    client = client, account_index = account_index, api_key_index = api_key_index,
    next_nonce = nil, unsure = true, queue = {}, worker = nil,
    sent = 0, resyncs = 0, nonce_retries = 0, last_nonce = nil,
  }, Sequencer)
end

-- The sequencer of a key, shared by every client of the same venue, account and key in this
-- process (two clients with one key must not allocate nonces independently).
function N.for_key(client, account_index, api_key_index)
  local key = ("%s|%s|%s"):format(client.rest, tostring(account_index), tostring(api_key_index))
  local seq = registry[key]
  if not seq then
    seq = N.new(client, account_index, api_key_index)
    registry[key] = seq
  end
  return seq
end

-- Re-reads the next nonce from the venue. -> true | nil, err
function Sequencer:resync()
  local deadline = hedge.mono_ms() + PENDING_WAIT_S * 1000
  while true do
    local nonce, err = self.client:next_nonce(self.api_key_index)
    if not nonce then return nil, err end
    local pending = self.pending
    if not pending or nonce > pending.nonce then
      self.next_nonce, self.unsure, self.pending = nonce, false, nil
      self.resyncs = self.resyncs + 1
      return true
    end
    -- The nonce of a tx with an unknown outcome has not moved: reuse it only if the venue does
    -- not hold that tx.
    local status, serr = self.client:tx_status(pending.hash)
    if serr then return nil, serr end
    if status == nil or status == TX_FAILED then
      self.next_nonce, self.unsure, self.pending = nonce, false, nil
      self.resyncs = self.resyncs + 1
      return true
    end
    if hedge.mono_ms() >= deadline then
      return nil, hedge.errors.new("unavailable", ("tx %s with nonce %d is still pending on the venue; not reusing its nonce"):format(
        pending.hash, pending.nonce), { venue = "lighter", op = "nonce", retryable = true })
    end
    hedge.sleep(0.25)
  end
end

-- Runs one job at the head of the queue. -> result | nil, err
function Sequencer:_run(job)
  local attempts = 0
  while true do
    if self.unsure or not self.next_nonce then
      local ok, err = self:resync()
      if not ok then
        -- Nothing was sent: the tx is certainly not on the venue.
        err.outcome = job.is_order and "rejected" or nil
        return nil, err
      end
    end
    local nonce = self.next_nonce
    local signed, serr = job.build(nonce)
    if not signed then return nil, serr end
    local result, err = job.send(signed)
    self.sent = self.sent + 1
    if result then
      -- A batch consumes one nonce per tx in it.
      local used = job.nonces_used or 1
      self.next_nonce, self.last_nonce = nonce + used, nonce + used - 1
      return result, nil, signed
    end
    if err.code == INVALID_NONCE and attempts < MAX_NONCE_RETRIES then
      attempts = attempts + 1
      self.nonce_retries = self.nonce_retries + 1
      self.unsure = true
    else
      -- A refusal leaves the nonce unused; anything else leaves us unsure whether it was used.
      -- A refused batch may have executed a prefix (its txs run in order): always re-read.
      if err.outcome ~= "rejected" or err.code == INVALID_NONCE or job.nonces_used then
        self.unsure = true
        if err.outcome ~= "rejected" then self.pending = { nonce = nonce, hash = signed.tx_hash } end
      end
      return nil, err
    end
  end
end

function Sequencer:_drain()
  while #self.queue > 0 do
    local job = table.remove(self.queue, 1)
    local ok, a, b, c = pcall(self._run, self, job)
    if ok then job.result, job.err, job.signed = a, b, c
    else
      self.unsure = true
      job.err = hedge.errors.is_error(a) and a or hedge.errors.new("bad_response", tostring(a), { venue = "lighter", op = "send" })
      if hedge.errors.is_cancelled(a) then
        -- The worker was cancelled: everyone still queued learns it and the queue empties.
        job.done:set()
        for _, rest in ipairs(self.queue) do rest.err = a; rest.done:set() end
        self.queue = {}
        break
      end
    end
    job.done:set()
  end
  self.worker = nil
end

-- Queues job and waits for its turn and outcome. -> result, nil, signed | nil, err
function Sequencer:submit(job)
  job.done = hedge.event()
  self.queue[#self.queue + 1] = job
  if not self.worker then
    -- The worker is its own task, so a caller that gives up waiting never leaves the key's
    -- queue stuck or a half-finished send without its bookkeeping.
    self.worker = hedge.spawn(function() self:_drain() end)
    self.worker.observed = true
  end
  job.done:wait()
  if job.result then return job.result, nil, job.signed end
  return nil, job.err
end

-- Marks the counter unsure (e.g. after the user sent txs with this key from elsewhere).
function Sequencer:invalidate() self.unsure = true end

N.Sequencer = Sequencer
return N
