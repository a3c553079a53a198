-- wrk script: a small non-streaming chat completion (through the proxy or straight to the upstream).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-good"
wrk.body = '{"model":"fake-model","max_tokens":8,"messages":[{"role":"user","content":"Say hi"}]}'
