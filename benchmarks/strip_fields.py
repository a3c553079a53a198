#!/usr/bin/env python3
"""Copies a simulated world with fields removed from every event, for the degraded-log tables of
docs/detection.md (stop 19): how detection holds up on a log that records less than the simulator writes.

    python3 benchmarks/strip_fields.py WORLD_DIR OUT_DIR MODE

WORLD_DIR holds events.jsonl.gz, accounts.jsonl and truth.jsonl (`retort simulate --out`). MODE:
  minimal     keep ts, account_id, request_id, ip, model, prompt, system, input/output tokens and status; no
              account records
  noturn      drop turn and conversation_id
  noparams    drop max_tokens, temperature, top_p, n, thinking, logprobs, top_logprobs, logit_bias_size,
              stream and reasoning_tokens
  noclient    drop user_agent, tls_fingerprint and api_key_id
  noaccounts  keep the events, drop the account records
Then: retort investigate OUT_DIR/events.jsonl.gz --accounts OUT_DIR/accounts.jsonl --out OUT_DIR/findings and
retort evaluate --findings OUT_DIR/findings/findings.json --truth OUT_DIR/truth.jsonl.
"""
import gzip
import json
import os
import shutil
import sys

MINIMAL = {"ts", "account_id", "request_id", "ip", "model", "prompt", "system", "input_tokens", "output_tokens",
           "status"}
DROP = {
    "noturn": {"turn", "conversation_id"},
    "noparams": {"max_tokens", "temperature", "top_p", "n", "thinking", "logprobs", "top_logprobs",
                 "logit_bias_size", "stream", "reasoning_tokens"},
    "noclient": {"user_agent", "tls_fingerprint", "api_key_id"},
    "noaccounts": set(),
}


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in set(DROP) | {"minimal"}:
        sys.exit(__doc__)
    src, dst, mode = sys.argv[1:4]
    os.makedirs(dst, exist_ok=True)
    with gzip.open(os.path.join(src, "events.jsonl.gz"), "rt") as f, \
            gzip.open(os.path.join(dst, "events.jsonl.gz"), "wt", compresslevel=1) as g:
        for line in f:
            e = json.loads(line)
            if mode == "minimal":
                e = {k: v for k, v in e.items() if k in MINIMAL}
            else:
                e = {k: v for k, v in e.items() if k not in DROP[mode]}
            g.write(json.dumps(e, separators=(",", ":")) + "\n")
    shutil.copy(os.path.join(src, "truth.jsonl"), dst)
    if mode in ("minimal", "noaccounts"):
        open(os.path.join(dst, "accounts.jsonl"), "w").close()
    else:
        shutil.copy(os.path.join(src, "accounts.jsonl"), dst)


if __name__ == "__main__":
    main()
