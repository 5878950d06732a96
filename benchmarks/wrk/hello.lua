-- The ceiling: GET /hello on benchmarks/hello_app.py (a bare FastAPI app, same uvicorn settings).
local req = nil

function init(args)
   req = wrk.format("GET", "/hello")
end

function request()
   return req
end
