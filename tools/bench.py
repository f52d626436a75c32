"""`make bench`: the numbers the issues set targets for, measured on this machine.

Prints: cold `make figures` (every script forced, JAX's compilation cache emptied), with
each script's time; warm no-op `make figures`; `mkdocs build` time; and every built
page's weight: the bytes of everything Chromium loads for it (HTML, scripts, styles,
fonts, figures, data; gzip-compressed as static hosts send them). Targets: cold < 60 s,
no-op < 1 s, build < 10 s, every page < 1.5 MB and the median page < 600 KB.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import (  # one way to build, serve and browse, shared with the tests
    CHROMIUM, CHROMIUM_ARGS, PROJECT, mkdocs_build, page_weight, project_env, run_figures, serve, site_pages,
)
from reading import core_path

CHAPTERS = ("gradients-drive-learning", "why-gradients-vanish", "fixing-vanishing-gradients")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def page_weights(site: Path) -> list[tuple[str, int, int]]:
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        rows = [(path, *page_weight(browser, base + path)) for path in site_pages(site)]
        browser.close()
    return rows


def main() -> int:
    shutil.rmtree(PROJECT / ".cache" / "jax", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        cold, cold_s = timed(lambda: run_figures("--force", "--out", str(Path(tmp) / "figures")))
    if cold.returncode != 0:
        print(cold.stdout, cold.stderr)
        return 1
    subprocess.run(["make", "-s", "figures"], cwd=PROJECT, env=project_env(), check=True, capture_output=True)
    _, noop_s = timed(lambda: subprocess.run(["make", "-s", "figures"], cwd=PROJECT, env=project_env(),
                                             check=True, capture_output=True))
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build, build_s = timed(lambda: mkdocs_build(PROJECT / "mkdocs.yml", site))
        if build.returncode != 0:
            print(build.stderr)
            return 1
        weights = page_weights(site)
        reading = {name: core_path((site / name / "index.html").read_text()) for name in CHAPTERS}

    print("Per-script times (cold):")
    for line in cold.stdout.splitlines():
        print("  " + line.removeprefix("make figures: "))
    print(f"cold make figures   {cold_s:6.1f} s   (target < 60 s)")
    print(f"no-op make figures  {noop_s:6.2f} s   (target < 1 s)")
    print(f"mkdocs build        {build_s:6.1f} s   (target < 10 s)")
    print("\nPage weight (everything the page loads, gzip as a static host serves it, empty cache):")
    print(f"  {'page':34} {'requests':>8} {'KB':>8}")
    for path, count, size in weights:
        print(f"  {path:34} {count:8d} {size / 1024:8.0f}")
    sizes = sorted(size for _, _, size in weights)
    print(f"  median {sizes[len(sizes) // 2] / 1024:.0f} KB, largest {sizes[-1] / 1024:.0f} KB")

    print("\nCore path of each chapter (outside folded boxes, tables, code and quizzes; targets: <= 20 min, <= 60 formulas):")
    for name, cp in reading.items():
        print(f"  {name:34} {cp.words:6d} words {cp.minutes:5.1f} min {cp.formulas:4d} formulas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
