-- wrk script for bench/bench_http.sh: POST /v1/transactions with a new
-- transaction id each time, or with FANZHA_BATCH=N POST
-- /v1/transactions/batch with N transactions as JSON lines (so every
-- transaction is scored and stored, never a
-- duplicate), payer and payee drawn from ACCOUNTS accounts, amounts from
-- 1 to 100,000 yuan, times rising by 1 ms a request.
local threads = {}
local ACCOUNTS = 100000

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   n = 0
   token = os.getenv("FANZHA_TOKEN") or ""
   run = os.getenv("FANZHA_RUN") or "0" -- a new tag per wrk run: ids never repeat a run's
   batch = tonumber(os.getenv("FANZHA_BATCH") or "0")
   math.randomseed(tid * 7919)
   base = 1795000000000 + tid * 1000000000
   wrk.headers["Authorization"] = "Bearer " .. token
   wrk.headers["Content-Type"] = "application/json"
end

local function txn()
   n = n + 1
   return string.format(
      '{"id":"W%s-%d-%d","time":%d,"payer_acct":"A%d","payee_acct":"A%d","amount":"%d.%02d","channel":"mobile","kind":"transfer"}',
      run, tid, n, base + n, math.random(ACCOUNTS), math.random(ACCOUNTS), math.random(100000), math.random(0, 99))
end

function request()
   if batch < 1 then return wrk.format("POST", "/v1/transactions", nil, txn()) end
   local lines = {}
   for i = 1, batch do lines[i] = txn() end
   return wrk.format("POST", "/v1/transactions/batch", nil, table.concat(lines, "\n"))
end

dofile("bench/wrk_summary.lua")
