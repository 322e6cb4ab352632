-- wrk script: requests each path in the file named by WRK_PATHS (one per line) once and
-- never again: thread k of WRK_THREADS takes lines k, k+n, k+2n… A thread whose share is
-- used up stops when its last answer is in, so nothing is asked twice (a first view
-- stays a first view). Prints what wrk-report.lua prints, plus "paths" and "exhausted";
-- when every thread ran out before the end, requests/s is over the time they really ran.
-- "reach": how many lines from the top of the file may have been asked for.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } wrk_once_timespec;
int clock_gettime(int clock, wrk_once_timespec *now);
]]
local stamp = ffi.new("wrk_once_timespec")
local function now()
  ffi.C.clock_gettime(1, stamp) -- CLOCK_MONOTONIC
  return tonumber(stamp.tv_sec) + tonumber(stamp.tv_nsec) / 1e9
end

-- setup() and done() run in the main script environment
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- the rest in each thread's own environment
paths, reserved, sent, idle, started, finished = {}, 0, 0, 0, 0, 0
local connections

function init(args)
  local count = tonumber(os.getenv("WRK_THREADS"))
  connections = math.floor(tonumber(os.getenv("WRK_CONNECTIONS")) / count)
  local line_number = 0
  for line in io.lines(os.getenv("WRK_PATHS")) do
    if #line > 0 then
      if line_number % count == id then table.insert(paths, line) end
      line_number = line_number + 1
    end
  end
  total = #paths
  started = now()
end

-- called before every request of a connection (and again after each answer): a path is
-- reserved here; a connection that finds none left waits out the run
function delay()
  if reserved < #paths then
    reserved = reserved + 1
    return 0
  end
  idle = idle + 1
  if idle == connections then -- every connection's last answer is in
    finished = now()
    wrk.thread:stop()
  end
  return 3600000
end

function request()
  sent = math.min(sent + 1, #paths) -- past the end only after a reconnect: asks the last again
  return wrk.format("GET", paths[sent])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local first, last, exhausted, total_paths, reach = nil, 0, true, 0, 0
  for _, thread in ipairs(threads) do
    local s, f = thread:get("started"), thread:get("finished")
    total_paths = total_paths + thread:get("total")
    reach = math.max(reach, thread:get("reserved") * #threads)
    if first == nil or s < first then first = s end
    if f == 0 then exhausted = false elseif f > last then last = f end
  end
  if exhausted and last > first then seconds = last - first end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "mean": %.2f, "errors": %d, "non2xx": %d, "paths": %d, "reach": %d, "exhausted": %s}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.mean / 1000,
    errors, summary.errors.status, total_paths, math.min(reach, total_paths), exhausted and "true" or "false"))
end
