-- POST /api/Tournament/assignPlayer: unique player names, round-robin across pre-created tournaments with limit
-- 10 (args: id file, name prefix). Thread t of N takes the ids i with i % N == t - 1, so threads never share a
-- tournament. The harness sizes the pool so no tournament fills up (a full one answers 409, counted as an error).
local mine = {}
local prefix = "p"
local n = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   local ids = read_ids(args[1])
   local t = tid or 1
   local count = tonumber(args[3] or "1")
   for i, id in ipairs(ids) do
      if (i - 1) % count == t - 1 then mine[#mine + 1] = id end
   end
   prefix = (args[2] or prefix) .. "-" .. t
end

function request()
   local id = mine[n % #mine + 1]
   n = n + 1
   local body = '{"name":"' .. prefix .. "-" .. n .. '","surname":"performance","tournamentId":"' .. id .. '"}'
   return wrk.format("POST", "/api/Tournament/assignPlayer", headers, body)
end
