"""Shared fixtures: the project's paths, generated figures, a built site and a browser."""

from pathlib import Path

import pytest

from vanishing import runner

# Compiling dominates these small tests, so as for `make figures`: XLA compiles at -O1, and
# every compilation is kept in the project's persistent cache (the next run finds it there).
runner.use_fast_compile_flags()
runner.start_jax()

from harness import (  # noqa: F401  (re-exported: tests import these names from conftest)
    CHROMIUM, CHROMIUM_ARGS, PROJECT, SITE_SOURCES, VENV_BIN, copy_sources, free_port, link_shared, mkdocs_build,
    READER_LOADS, page_weight, project_env, run_figures, serve, site_pages, visit_all,
)
import rerun
from page_probes import (
    CAPTIONS, COLOUR_RULES, FIGURES_ON_PAGE, FIND_OVERFLOW, INLINE_FIGURES, LOAD_IMAGES, PAGE_WITHOUT_FORMULAS, PHONE,
    PHONE_RULES, QUIZZES_WITHOUT_JS, RENDER_ALL, UNDRAWN_MATH, axe_in_both_schemes,
)

DETERMINISM_TEST = "test_a_second_run_gives_byte_identical_files"


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the process that schedules the tests
        rerun.prepare()


def _start_rerun_if_selected(config, names) -> None:
    if any(name.split("[")[0].endswith(DETERMINISM_TEST) for name in names) and RERUN not in config.stash:
        config.stash[RERUN] = rerun.start(PROJECT, project_env(FIGURE_JOBS="1"))


def pytest_collection_finish(session):
    """Without xdist, this process collects and runs the tests: start the rerun here."""
    if not hasattr(session.config, "workerinput") and not getattr(session.config.option, "numprocesses", None):
        _start_rerun_if_selected(session.config, [item.nodeid for item in session.items])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """With xdist, the scheduler starts the rerun once a worker has collected the test."""
    _start_rerun_if_selected(node.config, ids)


# Tests that read a walk of the whole site share one xdist worker (--dist loadgroup), so
# each walk happens once per run: mark them with these.
ON_JS_WALK = pytest.mark.xdist_group("site_visits")
ON_NO_JS_WALK = pytest.mark.xdist_group("site_visits_without_js")


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):
        rerun.stop(session.config.stash.get(RERUN, None))


RERUN = pytest.StashKey()


@pytest.fixture
def figures_rerun():
    """(output folder, exit status, log) of the background rerun, once it has finished."""
    return rerun.wait()


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
    """Every page loaded once on a phone (390 px), as a reader first meets it (see
    harness.visit_all): what it downloads, what goes wrong, whether its formulas are drawn;
    then drawn whole with every box open: its figures as rendered, what sticks out of the
    screen, and axe-core's findings in the light scheme, then in the dark one (switched
    with the reader's toggle). Several tests read these records, so the site is walked
    once per run."""
    probes = {
        "elements": "() => document.getElementsByTagName('*').length",
        "undrawn_math": UNDRAWN_MATH,
        "headings": "() => document.querySelectorAll('h1').length",
        **READER_LOADS,  # every block drawn, every box opened: what page weights count
        "undrawn_math_in_open_boxes": UNDRAWN_MATH,
        "figures": FIGURES_ON_PAGE,
        "inline_figures": INLINE_FIGURES,
        "overflow": FIND_OVERFLOW,
        **axe_in_both_schemes(PAGE_WITHOUT_FORMULAS, PHONE_RULES, COLOUR_RULES),
    }
    urls = [served_site + path for path in site_pages(site_dir)]
    return {url.removeprefix(served_site): seen for url, seen in visit_all(browser, urls, probes, **PHONE)}


@pytest.fixture(scope="session")
def site_visits_without_js(browser, served_site, site_dir) -> dict[str, dict]:
    """Every page on a phone with JavaScript off: formulas, quizzes, figures and captions.
    (No script runs, so the page is complete at its load event: one tab serves the walk.)"""
    probes = {
        "undrawn_math": UNDRAWN_MATH,
        "quizzes": QUIZZES_WITHOUT_JS,
        "drawn_whole": RENDER_ALL,
        "loaded": LOAD_IMAGES,
        "captions": CAPTIONS,
        "figures": FIGURES_ON_PAGE,
    }
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    visits = {}
    for path in site_pages(site_dir):
        page.goto(served_site + path)
        visits[path] = {name: page.evaluate(script) for name, script in probes.items()}
    context.close()
    return visits


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
