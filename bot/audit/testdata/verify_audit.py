"""Verify a tenderbot audit.jsonl with nothing but Python 3: verify_audit.py FILE.
json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) equals RFC 8785
(JCS) for objects whose keys are ASCII and whose numbers are integers, which holds for this log."""
import hashlib, json, sys
prev, n = "0" * 64, 0
for i, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not line.strip(" \t\r\n"): continue
    e = json.loads(line); h = e.pop("hash", None)
    jcs = json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if hashlib.sha256(jcs.encode()).hexdigest() != h: sys.exit(f"line {i}: hash does not match its contents")
    if e.get("seq") != n + 1: sys.exit(f"line {i}: seq is {e.get('seq')}, want {n + 1}")
    if e.get("prev_hash") != prev: sys.exit(f"line {i}: prev_hash is not the hash of the entry before")
    prev, n = h, n + 1
print(f"ok {n} entries")
