-- GET /api/Tournament?Id=<id>, round-robin over pre-created tournaments (args: file with one id per line).
local reqs = {}
local i = 0

function init(args)
   for _, id in ipairs(read_ids(args[1])) do
      reqs[#reqs + 1] = wrk.format("GET", "/api/Tournament?Id=" .. id)
   end
end

function request()
   i = i % #reqs + 1
   return reqs[i]
end
