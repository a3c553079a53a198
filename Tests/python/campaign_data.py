"""Hand-made traffic: a small distillation-like campaign among ordinary users, for end-to-end tests."""

import json

TEMPLATES = [
    "Solve step by step and show your reasoning: what is {a} times {b} plus {c}?",
    "Write a Python function that returns the {a}th Fibonacci number modulo {b}. Explain each line.",
    "Translate into French and explain the grammar in detail: 'The {a} cats ate {b} fish at {c} o'clock.'",
    "Prove or disprove, with full chain of thought: every integer above {a} is a sum of {b} primes.",
]


def campaign(prefix="camp", members=8, per_account=40, start_ms=1700000000000):
    """Events and account records of a campaign: shared card, one sign-up /24, patterned e-mails,
    the same templates, fixed parameters, single-turn, evenly spread round the clock."""
    events, accounts = [], []
    for m in range(members):
        acct = "%s_%02d" % (prefix, m)
        accounts.append({"account_id": acct, "created_at": "2023-11-14T00:%02d:00Z" % m,
                         "email_domain": "mailbox.example", "email_local": "user%05d" % (1000 + m),
                         "payment_fingerprint": "card_%s_shared" % prefix, "card_bin": "411111",
                         "signup_ip": "203.0.113.%d" % (10 + m), "country": "US"})
        for i in range(per_account):
            t = TEMPLATES[i % len(TEMPLATES)].format(a=i + m, b=i * 3 + 7, c=m + 11)
            events.append({"ts": start_ms + i * 3_600_000 // 2 + m * 60_000, "account_id": acct,
                           "request_id": "%s-%d-%d" % (prefix, m, i), "api_key_id": "key_%s" % acct,
                           "ip": "198.51.100.%d" % (m + 1), "user_agent": "python-httpx/0.27",
                           "endpoint": "chat.completions", "model": "big-model", "max_tokens": 4096,
                           "temperature": 0.0, "input_tokens": 60, "output_tokens": 3900, "turn": 1,
                           "status": 200, "prompt": t})
    return events, accounts


def ordinary(prefix="user", users=10, per_account=12, start_ms=1700000000000):
    """Independent users with varied conversations."""
    events, accounts = [], []
    topics = ["my garden", "a birthday party", "tax forms", "a bug in my React app", "a trip to Lisbon",
              "my cover letter", "sourdough", "a chess opening", "a poem for my mother", "bike repair"]
    for u in range(users):
        acct = "%s_%02d" % (prefix, u)
        accounts.append({"account_id": acct, "created_at": "2022-0%d-15T10:00:00Z" % (1 + u % 9),
                         "email_domain": ["gmail.com", "outlook.com", "acme.example"][u % 3],
                         "email_local": ["alice", "bob.k", "carol_w", "dmitri", "eve99", "farah", "gus", "hana",
                                         "ivan", "june"][u],
                         "payment_fingerprint": "card_%s_%d" % (prefix, u), "signup_ip": "192.0.2.%d" % (u * 20 + 1)})
        for i in range(per_account):
            events.append({"ts": start_ms + u * 7_000_000 + i * 900_000, "account_id": acct,
                           "request_id": "%s-%d-%d" % (prefix, u, i), "model": "big-model",
                           "max_tokens": [256, 512, 1024, None][i % 4], "turn": 1 + i % 5,
                           "conversation_id": "%s-c%d" % (acct, i // 5), "input_tokens": 200 + i * 13,
                           "output_tokens": 150 + u * 7, "status": 200,
                           "prompt": "Question %d about %s from %s: what should I do next?" % (i, topics[u], acct)})
    return events, accounts


def jsonl(rows):
    return "".join(json.dumps(r) + "\n" for r in rows)
