-- The one summary line bench/bench_http.sh reads, for every wrk script
-- there (loaded with dofile; wrk runs from the repository root). Runs in
-- wrk's main state: FANZHA_BATCH gives the transactions a request (a
-- number; anything else, or below 1, is one).
function done(summary, latency, requests)
   local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
   local per = math.max(1, tonumber(os.getenv("FANZHA_BATCH") or "") or 1)
   io.write(string.format("wrk-summary requests=%d seconds=%.2f rps=%.0f decisions_per_s=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f errors=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      summary.requests * per / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, bad))
end
