"""Shared fixtures: the project's paths, generated figures, a built site and a browser."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from harness import (  # noqa: F401  (re-exported: tests import these names from conftest)
    CHROMIUM, CHROMIUM_ARGS, PROJECT, SITE_SOURCES, VENV_BIN, copy_sources, free_port, link_shared, mkdocs_build,
    page_weight, project_env, run_figures, serve, site_pages, visit,
)

# The page drawn whole, as a reader scrolling through it sees it: blocks far from the
# screen are skipped by `content-visibility: auto` (extra.css) until they come near it, and
# have no real size or colour until then. Tests that measure the whole page add this.
RENDER_ALL = "() => { const s = document.createElement('style'); s.textContent = " \
    "'.md-content .md-typeset > * { content-visibility: visible !important; }'; document.head.append(s); }"
RENDER_ALL_ON_LOAD = f"document.addEventListener('DOMContentLoaded', {RENDER_ALL});"  # an init script

# Formulas that are not MathML, or that are shown (not inside a closed box or a hidden
# quiz explanation) yet have no size.
UNDRAWN_MATH = """() => [...document.querySelectorAll('.md-content .arithmatex')]
    .filter(f => { const m = f.querySelector('math');
                   if (!m) return true;
                   if (f.getClientRects().length === 0) return false;
                   const r = m.getBoundingClientRect(); return r.width < 2 || r.height < 2; })
    .map(f => f.textContent.slice(0, 60))"""


DETERMINISM_TEST = "test_a_second_run_gives_byte_identical_files"


def pytest_collection_finish(session):
    """Start the determinism test's full rerun of the figure scripts as soon as tests are
    collected: it runs in the background on one core (it takes about as long as a cold
    `make figures`) while the other tests use the other, and the test waits for it."""
    if any(item.name == DETERMINISM_TEST for item in session.items):
        out = Path(tempfile.mkdtemp(prefix="figures-rerun-"))
        log = out.parent / f"{out.name}.log"
        with log.open("w") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "vanishing.runner", "--force", "--out", str(out)],
                cwd=PROJECT, env=project_env(FIGURE_JOBS="1"), stdout=sink, stderr=subprocess.STDOUT)
        session.config.stash[RERUN] = (out, process, log)


def pytest_sessionfinish(session):
    rerun = session.config.stash.get(RERUN, None)
    if rerun:
        out, process, log = rerun
        process.kill()
        process.wait()
        shutil.rmtree(out, ignore_errors=True)
        log.unlink(missing_ok=True)


RERUN = pytest.StashKey()


@pytest.fixture
def figures_rerun(request):
    """(folder, process, log) of the background rerun started at collection."""
    return request.config.stash[RERUN]


@pytest.fixture(scope="session")
def figures_dir() -> Path:
    """The project's figures/, brought up to date (a no-op after `make figures`)."""
    result = run_figures()
    assert result.returncode == 0, result.stdout + result.stderr
    return PROJECT / "figures"


@pytest.fixture(scope="session")
def site_url() -> str:
    """Where the test server will serve the site (known before the build: see mkdocs.yml)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def site_dir(figures_dir, site_url, tmp_path_factory) -> Path:
    """The site, built strictly into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(PROJECT / "mkdocs.yml", site, site_url + "/")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def served_site(site_dir, site_url):
    """Serve the built site at site_url for the browser; yields its base URL."""
    with serve(site_dir, int(site_url.rsplit(":", 1)[1])) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_visits(browser, served_site, site_dir) -> dict[str, dict]:
    """Every page loaded once, as a reader first meets it (see harness.visit): what it
    downloads, what goes wrong, whether its formulas are drawn. Several tests read these
    records, so the site is walked once per test run."""
    probes = {"undrawn_math": UNDRAWN_MATH, "headings": "() => document.querySelectorAll('h1').length"}
    return {path: visit(browser, served_site + path, probes) for path in site_pages(site_dir)}


@pytest.fixture
def page(browser, served_site):
    """A fresh page that records console errors, page errors, failed loads and every
    request that leaves the local server, in `page.problems`."""
    from urllib.parse import urlparse

    context = browser.new_context()
    pg = context.new_page()
    pg.problems = []
    origin = urlparse(served_site).netloc

    def on_console(msg):
        if msg.type == "error":
            pg.problems.append(f"console error: {msg.text}")

    def on_request(request):
        if urlparse(request.url).scheme in ("http", "https") and urlparse(request.url).netloc != origin:
            pg.problems.append(f"request left the site: {request.url}")

    def on_response(response):
        if response.status >= 400:
            pg.problems.append(f"HTTP {response.status}: {response.url}")

    pg.on("console", on_console)
    pg.on("pageerror", lambda error: pg.problems.append(f"page error: {error}"))
    pg.on("request", on_request)
    pg.on("response", on_response)
    yield pg
    context.close()
