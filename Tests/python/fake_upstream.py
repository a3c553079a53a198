"""A tiny deterministic OpenAI/Anthropic-compatible upstream for proxy tests.

Answers /v1/chat/completions, /v1/completions, /v1/responses and /v1/messages, streamed (SSE, chunked)
or not. Answers depend only on the request body, so a direct call and a proxied call get identical bytes.
GET /_requests returns the headers and bodies received so far (for forwarding checks).

Usage: python fake_upstream.py PORT
"""

import hashlib
import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECEIVED = []
LOCK = threading.Lock()


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:16]


def _words(req: dict) -> list:
    n = int(req.get("max_tokens") or req.get("max_output_tokens") or req.get("max_completion_tokens") or 8)
    return ["tok%d" % i for i in range(max(1, min(n, 12)))]


def openai_chat(req, rid, stream):
    words = _words(req)
    model = req.get("model", "fake-model")
    if not stream:
        return json.dumps({
            "id": "chatcmpl-" + rid, "object": "chat.completion", "created": 1700000000, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": " ".join(words)},
                         "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": 11, "completion_tokens": len(words), "total_tokens": 11 + len(words)},
        }).encode(), "application/json"
    chunks = []
    for i, w in enumerate(words):
        delta = {"role": "assistant", "content": w} if i == 0 else {"content": " " + w}
        chunks.append({"id": "chatcmpl-" + rid, "object": "chat.completion.chunk", "created": 1700000000,
                       "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
    chunks.append({"id": "chatcmpl-" + rid, "object": "chat.completion.chunk", "created": 1700000000,
                   "model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 11, "completion_tokens": len(words), "total_tokens": 11 + len(words)}})
    return [("data: " + json.dumps(c) + "\n\n").encode() for c in chunks] + [b"data: [DONE]\n\n"], "text/event-stream"


def openai_completion(req, rid, stream):
    words = _words(req)
    model = req.get("model", "fake-model")
    if not stream:
        return json.dumps({
            "id": "cmpl-" + rid, "object": "text_completion", "created": 1700000000, "model": model,
            "choices": [{"index": 0, "text": " ".join(words), "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": 5, "completion_tokens": len(words), "total_tokens": 5 + len(words)},
        }).encode(), "application/json"
    out = []
    for w in words:
        out.append(("data: " + json.dumps({"id": "cmpl-" + rid, "object": "text_completion", "created": 1700000000,
                                           "model": model, "choices": [{"index": 0, "text": w + " ",
                                                                        "finish_reason": None}]}) + "\n\n").encode())
    return out + [b"data: [DONE]\n\n"], "text/event-stream"


def openai_response(req, rid, stream):
    words = _words(req)
    model = req.get("model", "fake-model")
    resp = {"id": "resp_" + rid, "object": "response", "created_at": 1700000000, "status": "completed",
            "model": model, "output": [{"type": "message", "id": "msg_" + rid, "status": "completed",
                                        "role": "assistant", "content": [{"type": "output_text",
                                                                          "text": " ".join(words),
                                                                          "annotations": []}]}],
            "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
            "usage": {"input_tokens": 7, "output_tokens": len(words), "total_tokens": 7 + len(words),
                      "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens_details": {"reasoning_tokens": 0}}}
    if not stream:
        return json.dumps(resp).encode(), "application/json"
    events = [("response.created", {"type": "response.created", "sequence_number": 0,
                                    "response": dict(resp, status="in_progress", output=[], usage=None)})]
    for i, w in enumerate(words):
        events.append(("response.output_text.delta", {"type": "response.output_text.delta", "sequence_number": i + 1,
                                                      "item_id": "msg_" + rid, "output_index": 0,
                                                      "content_index": 0, "delta": w, "logprobs": []}))
    events.append(("response.completed", {"type": "response.completed", "sequence_number": len(words) + 1,
                                          "response": resp}))
    return [("event: %s\ndata: %s\n\n" % (e, json.dumps(d))).encode() for e, d in events], "text/event-stream"


def anthropic_message(req, rid, stream):
    words = _words(req)
    model = req.get("model", "fake-model")
    msg = {"id": "msg_" + rid, "type": "message", "role": "assistant", "model": model,
           "content": [{"type": "text", "text": " ".join(words)}], "stop_reason": "end_turn",
           "stop_sequence": None, "usage": {"input_tokens": 9, "output_tokens": len(words)}}
    if not stream:
        return json.dumps(msg).encode(), "application/json"
    start = dict(msg, content=[], stop_reason=None, usage={"input_tokens": 9, "output_tokens": 1})
    events = [("message_start", {"type": "message_start", "message": start}),
              ("content_block_start", {"type": "content_block_start", "index": 0,
                                       "content_block": {"type": "text", "text": ""}})]
    for i, w in enumerate(words):
        events.append(("content_block_delta", {"type": "content_block_delta", "index": 0,
                                               "delta": {"type": "text_delta", "text": (" " if i else "") + w}}))
    events += [("content_block_stop", {"type": "content_block_stop", "index": 0}),
               ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn",
                                                                    "stop_sequence": None},
                                  "usage": {"output_tokens": len(words)}}),
               ("message_stop", {"type": "message_stop"})]
    return [("event: %s\ndata: %s\n\n" % (e, json.dumps(d))).encode() for e, d in events], "text/event-stream"


ROUTES = {
    "/v1/chat/completions": openai_chat,
    "/v1/completions": openai_completion,
    "/v1/responses": openai_response,
    "/v1/messages": anthropic_message,
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        if self.path == "/_requests":
            with LOCK:
                body = json.dumps(RECEIVED).encode()
            self._send(200, body, "application/json")
        elif self.path in ("/health", "/v1/models"):
            self._send(200, b'{"object":"list","data":[{"id":"fake-model","object":"model"}]}', "application/json")
        else:
            self._send(404, b'{"error":"not found"}', "application/json")

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        path = self.path.split("?")[0]
        with LOCK:
            RECEIVED.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                             "body": body.decode("utf-8", "replace")})
        fn = ROUTES.get(path)
        if fn is None:
            self._send(404, b'{"error":{"message":"no route","type":"invalid_request_error"}}', "application/json")
            return
        try:
            req = json.loads(body or b"{}")
        except ValueError:
            self._send(400, b'{"error":{"message":"bad json","type":"invalid_request_error"}}', "application/json")
            return
        payload, ctype = fn(req, _digest(body), bool(req.get("stream")))
        if isinstance(payload, bytes):
            self._send(200, payload, ctype)
            return
        self.send_response(200)
        self.send_header("content-type", ctype)
        self.send_header("cache-control", "no-cache")
        self.send_header("x-upstream", "fake")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for part in payload:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _send(self, status, body, ctype):
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        self.send_header("x-upstream", "fake")
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    print("fake upstream listening", flush=True)
    server.serve_forever()
