#!/usr/bin/env python3
"""Scores SiteWatch findings (JSON Lines) against the farm manifest's planted defects.

A planted dead link (404, 404_ext, refused, redirect_dead, redirect_loop, slow) is found when any hop
of it is reported as dead-link. soft404 pages are planted defects too and count as correct when
reported. Anything else reported as dead-link is a false positive (head405, redirect_ok, robots,
fragment and every healthy link are bait)."""
import json, sys

manifest = json.load(open(sys.argv[1], encoding="utf-8"))
reported = set()
for line in open(sys.argv[2], encoding="utf-8"):
    f = json.loads(line)
    if f["check"] == "dead-link":
        reported.add(f["subject"])

dead_kinds = ("404", "404_ext", "refused", "redirect_dead", "redirect_loop", "slow")
planted, accepted = [], set()
for s in manifest["sites"]:
    for kind in dead_kinds:
        for item in s["defects"][kind]:
            hops = item if isinstance(item, list) else [item]
            planted.append((kind, tuple(hops)))
            accepted.update(hops)
    accepted.update(s["defects"]["soft404"])
planted = sorted(set(planted))
missed = [(k, h) for k, h in planted if not any(x in reported for x in h)]
false_pos = sorted(reported - accepted)
soft = sum(1 for s in manifest["sites"] for u in s["defects"]["soft404"] if u in reported)
soft_total = sum(len(s["defects"]["soft404"]) for s in manifest["sites"])
print(f"  planted dead links: {len(planted)}, found {len(planted) - len(missed)}, missed {len(missed)}; "
      f"soft 404s found {soft}/{soft_total}; false positives {len(false_pos)}")
for k, h in missed[:20]:
    print(f"  MISSED {k}: {' '.join(h)}")
for u in false_pos[:20]:
    print(f"  FALSE POSITIVE: {u}")
sys.exit(0 if not missed and not false_pos else 2)
