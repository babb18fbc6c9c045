-- wrk script for bench/bench_http.sh: replay a bank's traffic. Reads the
-- native CSV that `fanzha gen` writes (FANZHA_REPLAY_CSV), from line
-- FANZHA_REPLAY_SKIP on, and POSTs one transaction a request to
-- /v1/transactions as JSON with the file's own field names, in the file's
-- order; labels are dropped (the server never sees them) and ids get the
-- run's tag, so a rerun never repeats an id. Stops with an error if the
-- file runs out (a bench that cycled would score copies). Every request is
-- built in init, before the clock starts, and the collector is stopped:
-- with ~400,000 strings held, a Lua GC cycle paused wrk for ~100 ms and
-- showed up as the server's p99.9, which the server's own histogram did
-- not see.
local reqs, pos = {}, 0

local function split(s)
   local out, i = {}, 1
   for f in (s .. ","):gmatch("([^,]*),") do out[i] = f; i = i + 1 end
   return out
end

function init(args)
   local token = os.getenv("FANZHA_TOKEN") or ""
   local run = os.getenv("FANZHA_RUN") or "0"
   local skip = tonumber(os.getenv("FANZHA_REPLAY_SKIP") or "0")
   local want = tonumber(os.getenv("FANZHA_REPLAY_ROWS") or "400000")
   wrk.headers["Authorization"] = "Bearer " .. token
   wrk.headers["Content-Type"] = "application/json"
   local f = assert(io.open(os.getenv("FANZHA_REPLAY_CSV"), "r"))
   local hdr = split(f:read("l"))
   local drop = {label = true, typology = true, group = true}
   local n = 0
   for line in f:lines() do
      n = n + 1
      if n > skip then
         local v, parts = split(line), {}
         for i, k in ipairs(hdr) do
            if v[i] and v[i] ~= "" and not drop[k] then
               if k == "id" then v[i] = run .. "-" .. v[i] end
               parts[#parts + 1] = '"' .. k .. '":"' .. v[i] .. '"'
            end
         end
         reqs[#reqs + 1] = wrk.format("POST", "/v1/transactions", nil, "{" .. table.concat(parts, ",") .. "}")
         if #reqs >= want then break end
      end
   end
   f:close()
   collectgarbage("collect")
   collectgarbage("stop")
end

function request()
   pos = pos + 1
   if pos > #reqs then error("bench: the replay file ran out; give it more rows") end
   return reqs[pos]
end

dofile("bench/wrk_summary.lua")
