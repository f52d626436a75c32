"""Shared fixtures: the project's paths, generated figures, a built site and a browser."""

import functools
import gzip
import io
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


# What mkdocs.yml needs besides docs/, scripts/ and figures/ (tests build copies of the site).
SITE_SOURCES = ("mkdocs.yml", "hooks", "overrides")


def copy_sources(dest: Path, names) -> None:
    """Copy project files and folders into dest (relative symlinks such as docs/figures kept)."""
    for name in names:
        src = PROJECT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / name)


def project_env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(PROJECT / "scripts"), "NO_MKDOCS_2_WARNING": "1", **extra}


def run_figures(*args, cwd=PROJECT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vanishing.runner", *args],
        cwd=cwd, env=project_env(), capture_output=True, text=True,
    )


def mkdocs_build(config: Path, site_dir: Path, site_url: str | None = None) -> subprocess.CompletedProcess:
    env = project_env(**({"SITE_URL": site_url} if site_url else {}))
    return subprocess.run(
        [str(VENV_BIN / "mkdocs"), "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent, env=env, capture_output=True, text=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that compresses text with gzip, as real static hosts do.

    Page-weight measurements then count the bytes a reader actually downloads.
    """

    COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".md"}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in self.COMPRESSIBLE and path.is_file()):
            return super().send_head()  # redirects, 404s, binary files: unchanged
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="session")
def served_site(site_dir, site_url):
    """Serve the built site at site_url for the browser; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(site_url.rsplit(":", 1)[1])), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site_url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def site_pages(site_dir: Path) -> list[str]:
    """URL paths of every page MkDocs built (404 page excluded)."""
    pages = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        if rel.startswith("assets"):
            continue
        pages.append("/" if rel == "." else f"/{rel}/")
    return pages


def page_weight(browser, url: str) -> tuple[int, int]:
    """(requests, bytes transferred) for everything a page loads, lazy figures included.

    A fresh browser context has an empty cache, so the page pays for every script,
    style, font, figure and data file; scrolling to the end loads lazy images too.
    """
    context = browser.new_context()
    page = context.new_page()
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    context.close()
    return len(sizes), sum(sizes)


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
