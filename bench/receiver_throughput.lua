-- wrk script of bench/run_receiver_bench.sh: POSTs a LangGraph webhook payload the way the JS
-- LangGraph server does (Content-Type: text/plain;charset=UTF-8), each request with its own
-- run_id, so that a receiver that drops repeated (run_id, status) pairs delivers every one.
--
--   wrk -t2 -c64 -d5s -s receiver_throughput.lua http://127.0.0.1:PORT/langgraph/webhook \
--       -- PAYLOAD.json [SALT]
--
-- PAYLOAD.json must begin with {"run_id":"<uuid>" (bench/payloads/ does). The run_id becomes
-- 01a2207e-6e6e-7SSS-8TTT-CCCCCCCCCCCC: SSS the salt (give each wrk run against one receiver
-- its own), TTT the wrk thread, C a per-thread counter; the body length never changes.
-- done() prints one line for the script to read:
--   WRK_RESULT requests=N non2xx=N connect=N read=N write=N timeout=N duration_us=N p99_us=N max_us=N

local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
end

function init(args)
  local f = assert(io.open(args[1], "rb"), "cannot open the payload " .. tostring(args[1]))
  local body = f:read("*a")
  f:close()
  salt = tonumber(args[2] or "0")
  local key = '{"run_id":"'
  assert(body:sub(1, #key) == key, "the payload must begin with " .. key)
  local req = wrk.format("POST", nil, { ["Content-Type"] = "text/plain;charset=UTF-8" }, body)
  local at = req:find(key, 1, true) + #key -- first byte of the uuid
  head = req:sub(1, at + 13)                -- through "01a2207e-6e6e-"
  tail = req:sub(at + 36)                   -- from the closing quote on
  counter = 0
end

function request()
  counter = counter + 1
  return head .. string.format("7%03x-%04x-%012x", salt % 4096, 0x8000 + tid, counter) .. tail
end

function done(summary, latency, requests)
  local e = summary.errors
  -- wrk counts status > 399 as errors; none of the receivers answers 1xx or 3xx.
  io.write(string.format("WRK_RESULT requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d duration_us=%d p99_us=%d max_us=%d\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout, summary.duration,
    latency:percentile(99.0), latency.max))
end
