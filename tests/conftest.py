"""Shared fixtures: the project's paths, generated figures, a built site and a browser."""

import functools
import http.server
import os
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
    def log_message(self, *args):
        pass


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
