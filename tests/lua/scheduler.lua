-- Scheduler semantics: spawn/join, parallel, race, with_timeout, cancellation, events.
local hedge = require "hedge"
local t = require "lib.tap"

-- spawn + join returns the body's results, pcall-style
local task = hedge.spawn(function(a, b) hedge.sleep(0.01); return a + b, "x" end, 2, 3)
local ok, sum, x = task:join()
t.is(ok, true, "join reports success")
t.is(sum, 5, "join returns the first result")
t.is(x, "x", "join returns every result")

-- a raised error comes back from join as false, err
local failing = hedge.spawn(function() error({ kind = "boom" }) end)
local ok2, err2 = failing:join()
t.is(ok2, false, "join of a failed task is false")
t.is(err2.kind, "boom", "join returns the raised error value")

-- join with a timeout on a task that keeps running
local slow = hedge.spawn(function() hedge.sleep(5) end)
local ok3, err3 = slow:join(0.05)
t.is(ok3, false, "join times out")
t.is(err3.kind, "timeout", "timeout error kind")
t.is(slow:done(), false, "the task still runs after a join timeout")
slow:cancel()
local ok4, err4 = slow:join()
t.is(ok4, false, "cancelled task joins as failed")
t.is(err4.kind, "cancelled", "cancelled task reports kind cancelled")

-- parallel: concurrent, ordered results, an error never cancels the other branch
local t0 = hedge.mono_ms()
local results, errs = hedge.parallel(
  function() hedge.sleep(0.2); return "left" end,
  function() hedge.sleep(0.05); error("right failed") end,
  function() hedge.sleep(0.1); return nil, hedge.errors.new("invalid_order", "too small") end)
local elapsed = hedge.mono_ms() - t0
t.is(results[1], "left", "parallel keeps the surviving branch's result")
t.like(tostring(errs[2]), "right failed", "parallel reports the raised error")
t.is(errs[3].kind, "invalid_order", "parallel reports a nil, err return as an error")
t.is(errs[1], nil, "no error for the successful branch")
t.cmp(elapsed, "<", 350, "parallel branches ran concurrently (" .. elapsed .. " ms)")
t.cmp(elapsed, ">=", 195, "parallel waited for the slowest branch")

-- race: first finisher wins, others are cancelled
local cancelled_loser = false
local idx, value = hedge.race(
  function()
    local ok5, e = pcall(hedge.sleep, 1)
    if not ok5 and hedge.errors.is_cancelled(e) then cancelled_loser = true end
    error(e, 0)
  end,
  function() hedge.sleep(0.02); return "fast" end)
t.is(idx, 2, "race returns the winner's index")
t.is(value, "fast", "race returns the winner's result")
hedge.sleep(0.01)
t.is(cancelled_loser, true, "race cancels the losing branch")

-- with_timeout
local v = hedge.with_timeout(1, function() hedge.sleep(0.01); return 42 end)
t.is(v, 42, "with_timeout passes results through")
local started = hedge.mono_ms()
local nothing, terr = hedge.with_timeout(0.05, function() hedge.sleep(2); return 1 end)
t.is(nothing, nil, "with_timeout gives nil on expiry")
t.is(terr and terr.kind, "timeout", "with_timeout error kind")
t.cmp(hedge.mono_ms() - started, "<", 500, "with_timeout returns at the deadline")
t.raises(function() hedge.with_timeout(1, function() error("inner") end) end, "inner",
  "with_timeout re-raises the function's error")

-- cancellation is sticky: a cancelled task cannot wait again
local attempts = {}
local sticky = hedge.spawn(function()
  local okA, eA = pcall(hedge.sleep, 5)
  attempts[1] = (not okA) and eA.kind
  local okB, eB = pcall(hedge.sleep, 0.01)
  attempts[2] = (not okB) and eB.kind
end)
hedge.sleep(0.02)
sticky:cancel()
sticky:join()
t.is(attempts[1], "cancelled", "a parked sleep is interrupted by cancel")
t.is(attempts[2], "cancelled", "later waits in a cancelled task fail at once")

-- cancelling a parallel's caller cancels its branches
local branch_cancelled = 0
local outer = hedge.spawn(function()
  hedge.parallel(
    function() local okC = pcall(hedge.sleep, 5); if not okC then branch_cancelled = branch_cancelled + 1 end end,
    function() local okD = pcall(hedge.sleep, 5); if not okD then branch_cancelled = branch_cancelled + 1 end end)
end)
hedge.sleep(0.02)
outer:cancel()
outer:join()
hedge.sleep(0.01)
t.is(branch_cancelled, 2, "branches of a cancelled parallel are cancelled")

-- events
local ev = hedge.event()
local woke_at
local waiter = hedge.spawn(function() assert(ev:wait(1)); woke_at = hedge.mono_ms() end)
hedge.sleep(0.03)
local set_at = hedge.mono_ms()
ev:set()
waiter:join()
t.cmp(woke_at - set_at, "<", 20, "event wakes its waiter promptly")
local ev2 = hedge.event()
local r, e = ev2:wait(0.02)
t.is(r, nil, "event wait times out")
t.is(e.kind, "timeout", "event timeout kind")

-- FIFO order of ready tasks
local order = {}
local a = hedge.spawn(function() order[#order + 1] = "a" end)
local b = hedge.spawn(function() order[#order + 1] = "b" end)
local c = hedge.spawn(function() order[#order + 1] = "c" end)
a:join(); b:join(); c:join()
t.is(table.concat(order), "abc", "ready tasks run in FIFO order")

-- blocking calls outside a task are refused with a clear error
local co = coroutine.create(function() return hedge.sleep(0.01) end)
local okE, eE = coroutine.resume(co)
t.is(okE, false, "sleep from a foreign coroutine fails")
t.like(tostring(eE), "inside a hedge task", "and says why")

-- many parked tasks
local n, done_count = 2000, 0
local many = {}
for i = 1, n do many[i] = hedge.spawn(function() hedge.sleep(0.05); done_count = done_count + 1 end) end
for i = 1, n do many[i]:join() end
t.is(done_count, n, "2000 parked tasks all resumed")

t.done()
