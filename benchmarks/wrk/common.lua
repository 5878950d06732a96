-- Shared by every scenario (prepended by benchmarks/http.py). One Lua state per wrk thread; `setup` runs in
-- the main state, so `threads` there lets `done` add up the per-thread counters.
threads = {}
non2xx = 0

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function read_ids(path)
   local ids = {}
   for line in io.lines(path) do
      if #line > 0 then ids[#ids + 1] = line end
   end
   return ids
end

function done(summary, latency, requests)
   local bad = 0
   for _, t in ipairs(threads) do
      bad = bad + (t:get("non2xx") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"non2xx":%d,' ..
      '"latency_us":{"min":%d,"max":%d,"mean":%.1f,"stdev":%.1f,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout, bad,
      latency.min, latency.max, latency.mean, latency.stdev,
      latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
      latency:percentile(99.9)))
end
