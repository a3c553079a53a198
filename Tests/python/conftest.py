"""Fixtures: a fake upstream and `retort serve` as real processes on 127.0.0.1, on free ports."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TOKEN = "test-token-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def retort_binary() -> str:
    path = os.environ.get("RETORT_BIN") or os.path.join(ROOT, ".build", "debug", "retort")
    if not os.path.exists(path):
        pytest.exit("retort binary not found at %s (run scripts/test-python.sh)" % path, returncode=2)
    return path


def wait_http(url: str, timeout: float = 30.0, proc=None) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("process exited early with %s" % proc.returncode)
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status < 500:
                    return
        except Exception:
            time.sleep(0.1)
    raise TimeoutError("no answer from %s" % url)


def stop(proc) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


class Server:
    """A running `retort serve` with helpers for its API."""

    def __init__(self, proc, port, workdir, log_path, config):
        self.proc = proc
        self.port = port
        self.workdir = workdir
        self.log_path = log_path
        self.config = config
        self.base = "http://127.0.0.1:%d" % port

    def request(self, method, path, body=None, token=TOKEN, content_type="application/json", headers=None):
        data = body if isinstance(body, (bytes, type(None))) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if data is not None:
            req.add_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def json(self, method, path, body=None, **kw):
        status, headers, raw = self.request(method, path, body, **kw)
        return status, json.loads(raw) if raw else None

    def audit_lines(self):
        with open(os.path.join(self.workdir, "audit.jsonl")) as f:
            return [json.loads(line) for line in f if line.strip()]

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


@pytest.fixture(scope="session")
def upstream():
    port = free_port()
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_upstream.py"), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http("http://127.0.0.1:%d/health" % port, proc=proc)
        yield "http://127.0.0.1:%d" % port
    finally:
        stop(proc)


def start_retort(tmp_path, upstream_url, **overrides) -> Server:
    port = free_port()
    config = {
        "host": "127.0.0.1",
        "port": port,
        "token": TOKEN,
        "audit_log": str(tmp_path / "audit.jsonl"),
        "state_dir": str(tmp_path / "state"),
        "recluster_interval_seconds": 3600,
        "proxy": {
            "upstream": upstream_url,
            "key_accounts": {"sk-good": "acct_good", "sk-bad": "acct_bad", "sk-slow": "acct_slow"},
        },
        "policy": {"deny_accounts": ["acct_bad"], "throttle_accounts": ["acct_slow"]},
    }
    for k, v in overrides.items():
        if isinstance(v, dict) and isinstance(config.get(k), dict):
            config[k] = dict(config[k], **v)
        else:
            config[k] = v
    cfg_path = tmp_path / "serve.json"
    cfg_path.write_text(json.dumps(config))
    log_path = tmp_path / "retort.log"
    env = dict(os.environ)
    env.pop("RETORT_TOKEN", None)
    with open(log_path, "w") as log:
        proc = subprocess.Popen([retort_binary(), "serve", "--config", str(cfg_path)], stdout=log,
                                stderr=subprocess.STDOUT, cwd=str(tmp_path), env=env)
    server = Server(proc, port, str(tmp_path), str(log_path), config)
    try:
        wait_http(server.base + "/health", proc=proc)
    except Exception:
        stop(proc)
        raise RuntimeError("retort serve did not start:\n" + server.log())
    return server


@pytest.fixture
def retort(tmp_path, upstream):
    server = start_retort(tmp_path, upstream)
    try:
        yield server
    finally:
        stop(server.proc)


@pytest.fixture
def retort_factory(tmp_path_factory, upstream):
    started = []

    def make(**overrides):
        s = start_retort(tmp_path_factory.mktemp("retort"), upstream, **overrides)
        started.append(s)
        return s

    try:
        yield make
    finally:
        for s in started:
            stop(s.proc)
