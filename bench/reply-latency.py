#!/usr/bin/env python3
# Usage: start the demo (./mvnw spring-boot:run), then: python3 bench/reply-latency.py [N]
# Submits N access requests, verifies each with the code read over IMAP, and reports how long
# dsrflow takes from verification to a queued reply (closedAt - verifiedAt) and to the mail arriving.
import json, re, time, imaplib, email, email.header, urllib.request, statistics, sys
BASE = "http://localhost:8080"
people = ["alice.chen@example.com", "bob.kumar@example.com", "emma.walker@example.com", "wang.fang@example.cn", "nobody@example.org"]
def post(path, body):
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
def inbox(addr):
    m = imaplib.IMAP4("127.0.0.1", 3143); m.login(addr, "x"); m.select("INBOX")
    _, ids = m.search(None, "ALL"); out = []
    for i in ids[0].split():
        _, data = m.fetch(i, "(RFC822)"); msg = email.message_from_bytes(data[0][1])
        out.append((str(email.header.make_header(email.header.decode_header(msg["Subject"]))), msg.get_payload(decode=True).decode()))
    m.logout(); return out
def wait(pred, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        r = pred()
        if r: return r
        time.sleep(0.05)
    raise SystemExit("timeout")
n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
to_queue, to_mail = [], []
for k in range(n):
    addr = people[k % len(people)]
    ref = post("/api/requests", {"type": "ACCESS", "email": addr, "language": "en"})["reference"]
    body = wait(lambda: next((b for s, b in inbox(addr) if ref in s and s.startswith("Confirm")), None))
    code = re.search(r"\b(\d{6})\b", body).group(1)
    t0 = time.time(); v = post(f"/api/requests/{ref}/verification", {"code": code})
    wait(lambda: any(s.startswith("Your personal data") and ref in s for s, b in inbox(addr)))
    to_mail.append(time.time() - t0)
    st = json.load(urllib.request.urlopen(f"{BASE}/api/requests/{ref}"))
    from datetime import datetime
    f = lambda x: datetime.fromisoformat(x.replace("Z", "+00:00"))
    to_queue.append((f(st["closedAt"]) - f(st["verifiedAt"])).total_seconds())
print(f"n={n} verify->reply queued: median {statistics.median(to_queue):.2f}s max {max(to_queue):.2f}s; "
      f"verify->reply in mailbox: median {statistics.median(to_mail):.2f}s max {max(to_mail):.2f}s")
