"""`make bench`: the numbers the issues set targets for, measured on this machine.

Prints: cold `make figures` (every script forced, JAX's compilation cache emptied), with
each script's time; warm no-op `make figures`; `mkdocs build` time; every built page's
weight: the bytes of everything Chromium loads for it (HTML, scripts, styles, fonts,
figures, data; gzip-compressed as static hosts send them); each chapter's core path.
Targets: cold < 60 s, no-op < 1 s, build < 10 s, every page < 1.5 MB and the median page
< 600 KB, core path <= 20 minutes and <= 60 formulas.

Machines of the same kind differ in speed (the same commit's cold `make figures` took 64 s
on one 2-core machine and 112 s on another), so the cold time is printed next to a fixed
reference workload, timed on one core: compile and run a small JAX training loop and save a
log-scale matplotlib figure as SVG, the two things `make figures` spends its time on. It
never changes with the project, so "cold / reference" compares runs across machines.

The explorer section: one training step of the explorer's JavaScript engine for a
50-layer, width-32 network on a batch of 32, in headless Chromium (target <= 10 ms), and
the explorer page's weight (target <= 600 KB). Lighthouse runs separately
(tools/lighthouse.py, also part of `make bench`).
"""

import contextlib
import json
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
from vanishing.runner import jax_cache_dir

CHAPTERS = ("gradients-drive-learning", "why-gradients-vanish", "fixing-vanishing-gradients")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


@contextlib.contextmanager
def browsing(site: Path):
    """Serve the built site (gzip, as hosts do) and yield (base URL, headless Chromium)."""
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield base, browser
        browser.close()


def page_weights(base: str, browser, site: Path) -> list[tuple[str, int, int]]:
    return [(path, *page_weight(browser, base + path)) for path in site_pages(site)]


# ---------------------------------------------------------------- explorer

EXPLORER_STEP = """async ({config, warmup, steps, repeats}) => {
  const e = await import('/assets/javascripts/explorer/engine.js');
  const data = e.digitsFromJson(await (await fetch('/figures/data/explorer_data_digits.json')).json());
  const trainer = new e.Trainer(config, data, 0);
  for (let i = 0; i < warmup; i++) trainer.step();
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    for (let i = 0; i < steps; i++) trainer.step();
    times.push((performance.now() - start) / steps);
  }
  return Math.min(...times);  // the fastest round: the least disturbed by other work on the machine
}"""
EXPLORER_BENCH = {  # the explorer's defaults at 50 layers, and its most expensive layer
    "sigmoid, Xavier": {},
    "GELU, residual + batch norm": {"activation": "gelu", "residual": True, "batchnorm": True},
}


def explorer_step_times(base: str, browser) -> dict[str, float]:
    """Milliseconds per SGD step of a 50-layer, width-32 network on batches of 32 (fastest of 5 rounds of 100)."""
    defaults = json.loads((PROJECT / "figures" / "data" / "explorer_data.json").read_text())["defaults"]
    page = browser.new_page()
    page.goto(base + "/explorer/")
    times = {}
    for name, changes in EXPLORER_BENCH.items():
        config = {**defaults, "depth": 50, "width": 32, "batchSize": 32, **changes}
        times[name] = page.evaluate(EXPLORER_STEP, {"config": config, "warmup": 30, "steps": 100, "repeats": 5})
    page.close()
    return times


# A fixed workload, independent of the project's code: what a slower or faster machine
# does to `make figures`. Run in a fresh process pinned to one core, with no compilation cache.
REFERENCE_WORKLOAD = """
import io, time
start = time.perf_counter()
import jax, jax.numpy as jnp, numpy as np
import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt
jax.config.update("jax_enable_x64", True)

def loss(ws, x):
    def layer(h, w):
        return jax.nn.sigmoid(h @ w), None
    h, _ = jax.lax.scan(layer, x, ws)
    return jnp.mean(h ** 2)

@jax.jit
def train(ws, x):
    def step(ws, _):
        value, g = jax.value_and_grad(loss)(ws, x)
        return ws - 0.1 * g, (value, jnp.sqrt(jnp.sum(g ** 2, axis=(1, 2))))
    return jax.lax.scan(step, ws, None, length=300)[1]

for seed in range(3):  # three shapes: three compilations, as scripts compile their own
    key = jax.random.PRNGKey(seed)
    ws = jax.random.normal(key, (10 + seed, 32, 32)) / np.sqrt(32)
    values, norms = jax.block_until_ready(train(ws, jnp.ones((64, 32))))
for _ in range(3):
    fig, axes = plt.subplots(3, 1, figsize=(6.4, 9), layout="constrained")
    for ax in axes:
        ax.plot(np.asarray(norms), label=[f"layer {i}" for i in range(norms.shape[1])])
        ax.set(yscale="log", xlabel="step", ylabel="$\\|g_l\\|$", title="reference")
        ax.legend(ncols=3, fontsize=8)
    fig.savefig(io.StringIO(), format="svg", bbox_inches="tight")
    plt.close(fig)
print(time.perf_counter() - start)
"""


def reference_seconds() -> float:
    """Seconds this machine takes for REFERENCE_WORKLOAD on one core (best of two)."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = [subprocess.run(["taskset", "-c", "0", sys.executable, "-c", REFERENCE_WORKLOAD], check=True,
                               capture_output=True, text=True, cwd=tmp,
                               env=project_env(JAX_COMPILATION_CACHE_DIR=""))
                for _ in range(2)]
    return min(float(run.stdout.split()[-1]) for run in runs)


def main() -> int:
    reference_s = reference_seconds()
    shutil.rmtree(jax_cache_dir(), ignore_errors=True)
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
        with browsing(site) as (base, browser):
            weights = page_weights(base, browser, site)
            step_ms = explorer_step_times(base, browser)
        reading = {name: core_path((site / name / "index.html").read_text()) for name in CHAPTERS}

    print("Per-script times (cold):")
    for line in cold.stdout.splitlines():
        print("  " + line.removeprefix("make figures: "))
    print(f"cold make figures   {cold_s:6.1f} s   (target < 60 s)")
    print(f"reference workload  {reference_s:6.1f} s   (this machine's speed, one core; cold / reference = "
          f"{cold_s / reference_s:.1f})")
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

    print("\nExplorer (headless Chromium):")
    for name, ms in step_ms.items():
        print(f"  one SGD step, 50 layers x 32 units, batch 32, {name:28} {ms:5.1f} ms   (target <= 10 ms)")
    explorer = next(size for path, _, size in weights if path == "/explorer/")
    print(f"  explorer page with everything it loads {explorer / 1024:.0f} KB   (target <= 600 KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
