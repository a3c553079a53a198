-- wrk script: POST /v1/decide with account ids cycling over 1000 accounts (some flagged, most not).
local token = os.getenv("RETORT_TOKEN") or "bench-token"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
local bodies = {}
for i = 0, 999 do
    bodies[i] = string.format('{"account_id":"acct_%d","model":"big-model","max_tokens":1024,"endpoint":"chat.completions"}', i)
end
local n = 0
request = function()
    n = (n + 1) % 1000
    return wrk.format(nil, nil, nil, bodies[n])
end
