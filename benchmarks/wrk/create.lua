-- POST /api/Tournament/create with a unique name per request (args: name prefix, player limit).
local prefix = "bench"
local limit = "2"
local n = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   prefix = (args[1] or prefix) .. "-" .. tostring(tid or 1)
   limit = args[2] or limit
end

function request()
   n = n + 1
   local body = '{"name":"' .. prefix .. "-" .. n .. '","playerLimit":' .. limit .. "}"
   return wrk.format("POST", "/api/Tournament/create", headers, body)
end
