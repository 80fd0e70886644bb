-- POST /api/route with a share of texts the router has seen (cached) and the rest new (an embed each).
-- CACHED_PERCENT (0..100) picks the mix; the seen texts are a pool of 64 questions warmed before the run.
local cached_percent = tonumber(os.getenv("CACHED_PERCENT") or "100")
local run = os.getenv("RUN_ID") or tostring(os.time())
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local function body(text)
  return '{"query":"' .. text .. '"}'
end

function request()
  counter = counter + 1
  local text
  if (counter * 37 % 100) < cached_percent then
    text = "Which of these numbers is prime: " .. (counter % 64) .. ", 91, 97 or 221? Explain briefly."
  else
    text = "Which of these numbers is prime: " .. counter .. ", 91, 97 or 221? Explain briefly, run " .. run .. " thread " .. thread_id .. "."
  end
  return wrk.format("POST", "/api/route", { ["Content-Type"] = "application/json" }, body(text))
end

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50=%.3f p99=%.3f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
