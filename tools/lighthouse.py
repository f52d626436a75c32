"""`make lighthouse`: Lighthouse on every page, mobile preset, served with gzip, median of three.

One Lighthouse run varies by 10-30 points on a busy 2-core machine, so each page is
measured three times and the run with the median performance score is reported.
Targets (issue 11): performance >= 95, accessibility, best practices and SEO 100, total
blocking time <= 200 ms. Lighthouse 12 (tools/lighthouse/package-lock.json) drives
Debian's Chromium.

    python tools/lighthouse.py [site_dir] [--runs N] [--only /path/ ...]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import CHROMIUM, CHROMIUM_ARGS, PROJECT, mkdocs_build, serve, site_pages

LIGHTHOUSE = PROJECT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_TBT_MS = 200


def lighthouse(url: str) -> dict:
    """Scores (0-100) and the main timings of one Lighthouse run."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    result = subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    audits = report["audits"]
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    timings = {key: audits[audit]["numericValue"] for key, audit in
               [("tbt", "total-blocking-time"), ("fcp", "first-contentful-paint"),
                ("lcp", "largest-contentful-paint"), ("cls", "cumulative-layout-shift")]}
    # Audits that cost points outside performance (which the timings above explain).
    weighted = {ref["id"] for name in CATEGORIES[1:] for ref in report["categories"][name]["auditRefs"]
                if ref.get("weight")}
    failing = sorted(a for a in weighted if audits[a].get("score") is not None and audits[a]["score"] < 1)
    return {**scores, **timings, "failing": failing}


def median_run(runs: list[dict]) -> dict:
    """The run whose performance score is the median (a whole run, so its numbers agree)."""
    ordered = sorted(runs, key=lambda r: r["performance"])
    return ordered[len(ordered) // 2]


def verdict(run: dict) -> str:
    misses = [f"{k} {run[k]}" for k, target in TARGETS.items() if run[k] < target]
    if run["tbt"] > MAX_TBT_MS:
        misses.append(f"TBT {run['tbt']:.0f} ms")
    return "ok" if not misses else "BELOW TARGET: " + ", ".join(misses)


def measure(site: Path, runs: int, only: list[str]) -> list[tuple[str, dict]]:
    rows = []
    with serve(site) as base:
        for path in only or site_pages(site):
            median = median_run([lighthouse(base + path) for _ in range(runs)])
            rows.append((path, median))
            print(f"  {path:40} perf {median['performance']:3d}  a11y {median['accessibility']:3d}  "
                  f"bp {median['best-practices']:3d}  seo {median['seo']:3d}  TBT {median['tbt']:5.0f} ms  "
                  f"FCP {median['fcp'] / 1000:4.1f} s  LCP {median['lcp'] / 1000:4.1f} s  "
                  f"CLS {median['cls']:.3f}  {verdict(median)}", flush=True)
            if median["failing"]:
                print(f"  {'':40} failing audits: {', '.join(median['failing'])}")
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=[], help="URL paths, e.g. /why-gradients-vanish/")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run `make lighthouse` (npm ci in tools/lighthouse)", file=sys.stderr)
        return 2
    print(f"Lighthouse 12, mobile preset, gzip, median of {args.runs} runs per page "
          f"(targets: performance >= 95, a11y/best practices/SEO 100, TBT <= {MAX_TBT_MS} ms):")
    if args.site:
        rows = measure(args.site, args.runs, args.only)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            build = mkdocs_build(PROJECT / "mkdocs.yml", site)
            if build.returncode != 0:
                print(build.stderr, file=sys.stderr)
                return 1
            rows = measure(site, args.runs, args.only)
    scores = [r["performance"] for _, r in rows]
    print(f"  performance: median {statistics.median(scores):.0f}, lowest {min(scores)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
