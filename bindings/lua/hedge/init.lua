-- The hedge Lua API: tasks on the event loop.
--
-- Every activity is a task (a coroutine the scheduler owns). A call that waits parks the
-- task and lets the loop run; results come back as ordinary return values, so code reads
-- sequentially. Durations are seconds (numbers, fractions allowed); timestamps are integer
-- milliseconds. Calls that can fail return nil, err with err an error table (hedge.errors);
-- cancellation raises an error of kind "cancelled" so that a cancelled task unwinds.
local core = require "hedge.core"
local errors = require "hedge.errors"

local hedge = {}
hedge.errors = errors

local unpack, select, pack = unpack, select, function(...) return { n = select("#", ...), ... } end

-- ---- tasks -------------------------------------------------------------------------------

local Task = {}
Task.__index = Task
Task.__tostring = function(t) return "task " .. t.id end

local task_of_handle = setmetatable({}, { __mode = "k" })

local function wake_waiters(task)
  local waiters = task.waiters
  task.waiters = {}
  for i = 1, #waiters do core.wake(waiters[i]) end
end

local function report_unobserved_failure(task)
  if task.status ~= "failed" or task.observed or #task.waiters > 0 then return end
  local log = package.loaded["hedge.log"]
  local text = "task " .. task.id .. " failed: " .. errors.text(task.error) .. "\n" .. (task.traceback or "")
  if log and log.error then log.error("hedge", text) else io.stderr:write("hedge: ", text, "\n") end
end

local function task_body(task, fn, ...)
  if core.is_cancelled() then
    task.status, task.error = "cancelled", errors.new("cancelled", "the task was cancelled before it started")
  else
    local result = pack(xpcall(fn, function(e)
      if not errors.is_cancelled(e) then
        task.traceback = debug.traceback(errors.text(e), 2)
      end
      return e
    end, ...))
    if result[1] then
      task.status, task.result = "ok", result
    elseif errors.is_cancelled(result[2]) then
      task.status, task.error = "cancelled", result[2]
    else
      task.status, task.error = "failed", result[2]
    end
  end
  report_unobserved_failure(task)
  wake_waiters(task)
  if task.on_done then task.on_done(task) end
end

-- hedge.spawn(fn, ...) -> task. The task starts on the next loop turn.
function hedge.spawn(fn, ...)
  assert(type(fn) == "function", "hedge.spawn: expected a function")
  local task = setmetatable({ status = "running", waiters = {} }, Task)
  task.handle = core.spawn(task_body, task, fn, ...)
  task.id = core.task_id(task.handle)
  task_of_handle[task.handle] = task
  return task
end

function hedge.current()
  local h = core.current()
  return h and task_of_handle[h]
end

-- Raises the cancellation error when a wait came back cancelled (see the file comment).
local function check_wait(ok, err, ...)
  if ok == nil and errors.is_cancelled(err) then error(err, 0) end
  return ok, err, ...
end
hedge._check_wait = check_wait

-- Parks the current task until core.wake; raises if the task is cancelled meanwhile.
local function park()
  return check_wait(core.park())
end

function hedge.sleep(seconds)
  check_wait(core.sleep(seconds))
end

-- Lets the other ready tasks run before continuing.
function hedge.yield()
  coroutine.yield()
end

-- task:join([timeout]) -> true, results... | false, err (err.kind "timeout" when the wait
-- ran out; the task keeps running). Like pcall: an error raised by the task comes back as
-- false, err. A task may be joined by several tasks.
function Task:join(timeout)
  local me = core.current()
  if not me then error("join: can only wait inside a hedge task", 2) end
  local timer
  if self.status == "running" and timeout then
    timer = hedge.spawn(function() hedge.sleep(timeout); core.wake(me, "timeout") end)
  end
  local ok, err = pcall(function()
    while self.status == "running" do
      self.waiters[#self.waiters + 1] = me
      local why = park()
      if why == "timeout" and self.status == "running" then
        for i = #self.waiters, 1, -1 do if self.waiters[i] == me then table.remove(self.waiters, i) end end
        return "timeout"
      end
    end
  end)
  if timer then timer:cancel() end
  if not ok then error(err, 0) end
  if err == "timeout" then
    return false, errors.new("timeout", ("task %d still running after %g s"):format(self.id, timeout), { op = "join" })
  end
  self.observed = true
  if self.status == "ok" then return true, unpack(self.result, 2, self.result.n) end
  return false, self.error, self.traceback
end

function Task:cancel()
  if self.status == "running" then core.cancel(self.handle) end
end

function Task:done() return self.status ~= "running" end

-- ---- combinators -------------------------------------------------------------------------

-- The nil, err convention: a branch that returns nil, err has failed with err.
local function branch_outcome(task)
  if task.status == "ok" then
    local r = task.result
    if r[2] == nil and r[3] ~= nil then return nil, r[3] end
    return r[2], nil
  end
  return nil, task.error
end

local function cancel_all(tasks)
  for i = 1, #tasks do tasks[i]:cancel() end
end

-- hedge.parallel(f1, f2, ...) -> results, errs. All branches run concurrently and all are
-- waited for; an error in one never cancels another (a strategy decides whether to unwind
-- a leg that did fill). results[i] is branch i's first return value; errs[i] is its raised
-- error or the err of a nil, err return; errs is empty when every branch succeeded.
-- If the caller is cancelled, the branches are cancelled too.
function hedge.parallel(...)
  local fns = pack(...)
  local tasks = {}
  for i = 1, fns.n do
    assert(type(fns[i]) == "function", "hedge.parallel: argument " .. i .. " is not a function")
    tasks[i] = hedge.spawn(fns[i])
    tasks[i].observed = true            -- its outcome is returned, never reported as lost
  end
  local ok, err = pcall(function() for i = 1, #tasks do tasks[i]:join() end end)
  if not ok then cancel_all(tasks); error(err, 0) end
  local results, errs = {}, {}
  for i = 1, #tasks do results[i], errs[i] = branch_outcome(tasks[i]) end
  return results, errs
end

-- hedge.race(f1, f2, ...) -> index, result, err of the first branch to finish (by returning
-- or raising); the other branches are cancelled.
function hedge.race(...)
  local fns = pack(...)
  local me = core.current()
  if not me then error("hedge.race: can only wait inside a hedge task", 2) end
  local tasks, winner = {}, nil
  for i = 1, fns.n do
    assert(type(fns[i]) == "function", "hedge.race: argument " .. i .. " is not a function")
    tasks[i] = hedge.spawn(fns[i])
    tasks[i].observed = true
    tasks[i].on_done = function(t) if not winner then winner = i; core.wake(me) end end
  end
  local ok, err = pcall(function() while not winner do park() end end)
  for i = 1, #tasks do if i ~= winner then tasks[i]:cancel() end end
  if not ok then cancel_all(tasks); error(err, 0) end
  tasks[winner].observed = true
  return winner, branch_outcome(tasks[winner])
end

-- hedge.with_timeout(seconds, fn, ...) -> fn's results, or nil, err of kind "timeout" when
-- the deadline passed first (fn's task is then cancelled). An error fn raises is re-raised.
function hedge.with_timeout(seconds, fn, ...)
  assert(type(seconds) == "number" and seconds >= 0, "hedge.with_timeout: seconds must be a number >= 0")
  local task = hedge.spawn(fn, ...)
  task.observed = true
  local res = pack(pcall(task.join, task, seconds))
  if not res[1] then task:cancel(); error(res[2], 0) end
  if res[2] then return unpack(res, 3, res.n) end
  local err = res[3]
  if task.status == "running" then
    task:cancel()
    return nil, errors.new("timeout", ("no result within %g s"):format(seconds), { op = "with_timeout" })
  end
  error(err, 0)
end

-- ---- events ------------------------------------------------------------------------------

-- hedge.event(): a flag tasks can wait for. ev:set(), ev:clear(), ev:is_set(), ev:wait([timeout]) -> true | nil, err
local Event = {}
Event.__index = Event

function hedge.event()
  return setmetatable({ flag = false, waiters = {} }, Event)
end

function Event:set()
  self.flag = true
  local w = self.waiters
  self.waiters = {}
  for i = 1, #w do core.wake(w[i]) end
end

function Event:clear() self.flag = false end
function Event:is_set() return self.flag end

function Event:wait(timeout)
  if self.flag then return true end
  local me = core.current()
  if not me then error("event:wait: can only wait inside a hedge task", 2) end
  local timer
  if timeout then timer = hedge.spawn(function() hedge.sleep(timeout); core.wake(me, "timeout") end) end
  local ok, err = pcall(function()
    while not self.flag do
      self.waiters[#self.waiters + 1] = me
      if park() == "timeout" then return "timeout" end
    end
  end)
  if timer then timer:cancel() end
  if not ok then error(err, 0) end
  if err == "timeout" and not self.flag then
    for i = #self.waiters, 1, -1 do if self.waiters[i] == me then table.remove(self.waiters, i) end end
    return nil, errors.new("timeout", ("event not set within %g s"):format(timeout), { op = "event.wait" })
  end
  return true
end

-- ---- clocks and process ------------------------------------------------------------------

hedge.now_ms = core.now_ms
hedge.mono_ms = core.mono_ms
hedge.mono_us = core.mono_us

-- hedge.trap_signals(): the first SIGINT/SIGTERM no longer cancels the main task; it makes
-- hedge.stop_requested() return the signal's name so the script can finish its current step,
-- persist and return. A second signal still exits at once.
hedge.trap_signals = function() core.trap_signals(true) end
hedge.stop_requested = core.stop_requested
hedge.request_stop = core.request_stop   -- the same graceful stop, asked for by the script

-- Sleeps up to `seconds`, waking early (and returning false) when a stop was requested.
function hedge.sleep_unless_stopped(seconds)
  local deadline = core.mono_ms() + seconds * 1000
  while not core.stop_requested() do
    local left = (deadline - core.mono_ms()) / 1000
    if left <= 0 then return true end
    hedge.sleep(math.min(left, 0.25))
  end
  return false
end

function hedge.exit(code)
  core.exit(code or 0)
end

-- Runs the main script: its failure prints the error with a full traceback and sets exit status
-- 1; an error carrying exit_code (configuration errors) prints its message alone and exits with it.
function hedge._run_main(chunk, ...)
  local task = hedge.spawn(chunk, ...)
  task.observed = true
  task.on_done = function(t)
    if t.status == "failed" then
      local text = errors.text(t.error)
      local code = type(t.error) == "table" and tonumber(t.error.exit_code) or nil
      -- An error that carries its exit status (a bad configuration, a missing secret) is a
      -- message for the user, not a crash: printed without a traceback.
      io.stderr:write("hedge: ", code and text or (t.traceback or text), "\n")
      core.set_exit_code(code or 1)
    elseif t.status == "cancelled" and core.exit_code() == 0 then
      core.set_exit_code(130)
    end
  end
  core.set_main_task(task.handle)
  return task
end

-- A script loaded beside the REPL (hedge -i SCRIPT): it runs, failures are reported.
function hedge._run_background(chunk, ...)
  return hedge.spawn(chunk, ...)
end

-- Submodules on first use: hedge.http, hedge.ws, hedge.process, hedge.log, hedge.decimal.
local SUBMODULES = { http = true, ws = true, process = true, log = true, decimal = true }
setmetatable(hedge, {
  __index = function(t, k)
    if not SUBMODULES[k] then return nil end
    local mod = require("hedge." .. k)
    rawset(t, k, mod)
    return mod
  end,
})

return hedge
