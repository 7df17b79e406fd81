#!/usr/bin/env python3
"""What an EasyList-syntax ad-filter list would add to commercial-ad, measured, not guessed.

    tests/bench/easylist-eval.py [--list FILE] [--pages DIR ...]

Without --list it takes the only EasyList copy the npm registry serves (the test data of the npm package
abp-filter-parser; EasyList China itself is not published on npm) via `npm pack`. It prints:
  1. the list's rules by kind (domain rules, generic URL patterns, element-hiding rules, exceptions);
  2. which hosts of crawler-rules/commercial-ad.yaml the list knows, and which it lacks;
  3. on government pages (default: the bench farm in bench-out/farm and seeds/demo), how many distinct link
     URLs its generic URL patterns and how many elements its plain class/id hiding rules would call ads —
     every one of them a false positive on these sites, which carry no ads but the planted ones.
Patterns are matched the way Adblock Plus documents them (`*` any, `^` separator, `|` anchors, `||` domain);
popup rules and rules limited to named sites (domain=) are left out; other options after `$` (third-party, resource type, domain=) are ignored, so
the counts are an upper bound. Relative links are resolved against a stand-in host, www.example.gov.cn.
"""
import argparse
import glob
import html.parser
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fetch_list():
    tmp = tempfile.mkdtemp()
    subprocess.run(["npm", "pack", "--silent", "abp-filter-parser@0.1.10"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    with tarfile.open(glob.glob(os.path.join(tmp, "*.tgz"))[0]) as tar:
        tar.extract("package/test/data/easylist.txt", tmp)
    return os.path.join(tmp, "package/test/data/easylist.txt")


def pattern_regex(pattern):
    out = ""
    if pattern.startswith("||"):
        out, pattern = r"^[a-z][a-z0-9+.-]*://([^/]*\.)?", pattern[2:]
    elif pattern.startswith("|"):
        out, pattern = "^", pattern[1:]
    tail = ""
    if pattern.endswith("|"):
        tail, pattern = "$", pattern[:-1]
    for c in pattern:
        out += {"*": ".*", "^": r"(?:[^\w.%-]|$)"}.get(c, re.escape(c))
    return out + tail


class Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.labels = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            value = (a.get(key) or "").strip()
            if value and not value.startswith(("#", "javascript:", "mailto:", "tel:")):
                self.links.append(urllib.parse.urljoin("http://www.example.gov.cn/", value))
        for c in (a.get("class") or "").split():
            self.labels.append("." + c)
        if a.get("id"):
            self.labels.append("#" + a["id"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list")
    ap.add_argument("--pages", nargs="*", default=[os.path.join(REPO, "bench-out/farm"), os.path.join(REPO, "seeds/demo")])
    args = ap.parse_args()
    path = args.list or fetch_list()
    lines = [l.strip() for l in open(path, encoding="utf-8", errors="replace")]
    header = next((l for l in lines if l.startswith("! Last modified") or l.startswith("! Version")), "")

    domain, generic, hiding, generic_hiding, exceptions = [], [], [], [], 0
    for l in lines:
        if not l or l.startswith("!") or l.startswith("["):
            continue
        if l.startswith("@@"):
            exceptions += 1
        elif "##" in l or "#@#" in l:
            hiding.append(l)
            if l.startswith("##") and re.fullmatch(r"##[.#][\w-]+", l):
                generic_hiding.append(l[2:])
        elif re.fullmatch(r"\|\|[a-z0-9.-]+\^?(\$.*)?", l):
            domain.append(re.match(r"\|\|([a-z0-9.-]+)", l).group(1))
        else:
            options = l.partition("$")[2].split(",")
            # Popup rules judge windows a page opens, not links; domain= rules apply only on the sites they name.
            if "popup" not in options and not any(o.startswith("domain=") and not o[7:].startswith("~") for o in options):
                generic.append(l.split("$")[0])
    print(f"list: {path} ({header.lstrip('! ')})")
    print(f"rules: {len(domain)} domain, {len(generic)} generic URL patterns, {len(hiding)} element hiding "
          f"({len(generic_hiding)} plain class/id on every site), {exceptions} exceptions")

    rules_text = open(os.path.join(REPO, "crawler-rules/commercial-ad.yaml"), encoding="utf-8").read()
    ad_hosts = rules_text.split("ad_hosts:")[1].split("inline_markers:")[0]
    ours = re.findall(r"^\s*-\s*([a-z0-9.-]+)", ad_hosts, re.M)
    known = [h for h in ours if any(h == d or h.endswith("." + d) for d in domain)]
    print(f"commercial-ad.yaml ad hosts: {len(ours)}; in the list: {len(known)} ({', '.join(known)}); "
          f"missing: {', '.join(h for h in ours if h not in known)}")
    ours_set = set(ours)
    cn = [d for d in domain if d.endswith(".cn") or "baidu" in d or "sogou" in d or "360" in d or "qq.com" in d]
    print(f"Chinese-looking domain rules in the list: {len(cn)}; not yet in commercial-ad.yaml: {len([d for d in cn if d not in ours_set])}")

    compiled = []
    for g in generic:
        try:
            compiled.append((g, re.compile(pattern_regex(g), re.I)))
        except re.error:
            pass
    urls, labels, pages = set(), [], 0
    for root in args.pages:
        for f in glob.glob(os.path.join(root, "**/*.htm*"), recursive=True):
            p = Elements()
            p.feed(open(f, encoding="utf-8", errors="replace").read())
            urls.update(p.links)
            labels.extend(p.labels)
            pages += 1
    hit_urls = {u: g for u in urls for g, rx in compiled if rx.search(u)}
    hide = set(generic_hiding)
    hit_labels = [l for l in labels if l in hide]
    print(f"government pages read: {pages}; distinct link URLs: {len(urls)}")
    print(f"  URLs a generic pattern calls ads: {len(hit_urls)}")
    for u, g in list(hit_urls.items())[:5]:
        print(f"    {u}  <- {g}")
    print(f"  elements a plain hiding rule calls ads: {len(hit_labels)} ({len(set(hit_labels))} distinct: {', '.join(sorted(set(hit_labels))[:8])})")


if __name__ == "__main__":
    sys.exit(main())
