"""Build, serve and browse the site: one way to do it, shared by the tests and `make bench`."""

import contextlib
import functools
import gzip
import http.server
import importlib.util
import io
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

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


# What mkdocs.yml needs besides docs/, scripts/ and figures/ (tests build copies of the site);
# constraints.txt pins the notebooks archive's requirements.
SITE_SOURCES = ("mkdocs.yml", "hooks", "overrides", "tools", "notebooks", "constraints.txt")


def check_library() -> None:
    """The library Python imports must be this checkout's (`make setup` installs it editable).

    Checkouts that share one virtualenv would otherwise test one another's code.
    """
    spec = importlib.util.find_spec("vanishing")
    origin = Path(spec.origin).resolve().parent if spec and spec.origin else None
    if origin != PROJECT / "scripts" / "vanishing":
        raise RuntimeError(f"Python imports the library from {origin}, not from {PROJECT / 'scripts'}: "
                           "run `make setup` with this checkout's own .venv")


check_library()


def copy_sources(dest: Path, names) -> None:
    """Copy project files and folders into dest (relative symlinks such as docs/figures kept)."""
    for name in names:
        src = PROJECT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / name)


# Big or slow-to-make things a copy of the sources shares with the project: the build-time
# math tools and the caches of typeset formulas and compiled JAX functions.
SHARED = ("node_modules", "package-lock.json", ".cache")


def link_shared(dest: Path) -> None:
    """Symlink SHARED into a copy of the sources (see copy_sources)."""
    (PROJECT / ".cache").mkdir(exist_ok=True)
    for name in SHARED:
        (dest / name).symlink_to(PROJECT / name)


def project_env(**extra) -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that compresses text with gzip, as real static hosts do.

    Page-weight measurements then count the bytes a reader actually downloads.
    """

    COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".md"}

    def log_message(self, *args):
        pass

    def handle(self):
        """A browser that drops a download it no longer needs (Lighthouse does, as each run
        ends) is no error: no traceback in `make bench`'s output."""
        try:
            super().handle()
        except ConnectionError:
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


@contextlib.contextmanager
def serve(directory: Path, port: int = 0):
    """Serve a built site with gzip on 127.0.0.1 in a background thread; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site_dir: Path) -> list[str]:
    """URL paths of every page MkDocs built (404 page excluded)."""
    pages = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        if rel.startswith("assets"):
            continue
        pages.append("/" if rel == "." else f"/{rel}/")
    return pages


CSP_RECORDER = (
    "window.cspViolations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


# The page drawn whole, as a reader scrolling through it sees it: on the chapters, blocks
# far from the screen are skipped by `content-visibility: auto` (long-page.css) until they
# come near it, and have no real size or colour until then. Tests that measure the whole
# page add this, and so do tests that click inside a chapter: after a jump, the blocks
# that come near the screen are drawn a frame or two later at their real heights, and a
# click whose mousedown and mouseup straddle that frame lands on the next option (seen
# under load, about 1 click in 60).
RENDER_ALL = "() => { const s = document.createElement('style'); s.textContent = " \
    "'.md-content .md-typeset > * { content-visibility: visible !important; }'; document.head.append(s); }"

# Every figure loaded, as for a reader who scrolls through the page (resolves when done).
LOAD_IMAGES = """() => Promise.all([...document.querySelectorAll('.md-content img')].map(img => {
  img.loading = 'eager';
  return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
})).then(() => null)"""

# Every folded box opened, as a reader may open any of them (after RENDER_ALL), and every
# figure in them loaded (Chromium loads no image inside a closed box, even an eager one).
OPEN_BOXES = f"""() => {{
  for (const box of document.querySelectorAll('article details')) box.open = true;
  return ({LOAD_IMAGES})();
}}"""

# What a reader can make a page load: every block drawn, every box opened.
READER_LOADS = {"drawn_whole": RENDER_ALL, "opened": OPEN_BOXES}


def visit(browser, url: str, probes: dict[str, str] | None = None, **context_options) -> dict:
    """Load a page the way a reader first meets it and record what happened.

    A fresh browser context has an empty cache, so the page pays for every script, style,
    font, figure and data file it loads; lazy figures count once a probe loads them
    (RENDER_ALL, then OPEN_BOXES, as a reader scrolling and opening every box). Returns the
    number of requests, their URLs and bytes transferred (gzip, as served), `problems` (console and
    page errors, failed loads, requests that left the site's origin), `csp` (policy
    violations), and the value of every JavaScript expression in `probes`, evaluated in
    order after the page has loaded. `context_options` set up the browser (a phone's
    viewport, JavaScript off: see Playwright's `new_context`).
    """
    return _record(_start_loading(browser, url, context_options), probes)


def visit_all(browser, urls: list[str], probes: dict[str, str] | None = None, **context_options):
    """`visit` each page in turn, yielding (url, record); each page starts loading while
    the probes run on the one before, so its waits (the network falling quiet) overlap
    that work."""
    loading = None
    for url in urls:
        started = _start_loading(browser, url, context_options)
        if loading:
            yield loading["url"], _record(loading, probes)
        loading = started
    if loading:
        yield loading["url"], _record(loading, probes)


def _start_loading(browser, url: str, context_options: dict) -> dict:
    """A fresh context and page, recording what the page does, navigated to url."""
    from urllib.parse import urlparse

    origin = urlparse(url).netloc
    context = browser.new_context(**context_options)
    context.add_init_script(CSP_RECORDER)
    page = context.new_page()
    finished, problems = [], []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console error: {msg.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda request: urlparse(request.url).scheme in ("http", "https")
            and urlparse(request.url).netloc != origin and problems.append(f"request left the site: {request.url}"))
    page.on("response", lambda response: response.status >= 400
            and problems.append(f"HTTP {response.status}: {response.url}"))
    page.goto(url, wait_until="commit")
    return {"url": url, "context": context, "page": page, "finished": finished, "problems": problems}


def _record(loading: dict, probes: dict[str, str] | None) -> dict:
    """Wait until the page has loaded and the network is quiet, then run the probes."""
    page = loading["page"]
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    result = {name: page.evaluate(script) for name, script in (probes or {}).items()}
    # Sizes are read before the context closes (a request's size needs its page).
    sizes = [request.sizes()["responseBodySize"] for request in loading["finished"]]
    result.update(requests=len(sizes), urls=[request.url for request in loading["finished"]], bytes=sum(sizes),
                  problems=loading["problems"],
                  csp=page.evaluate("window.cspViolations || []"))
    loading["context"].close()
    return result


def page_weight(browser, url: str) -> tuple[int, int]:
    """(requests, bytes transferred) for everything a reader can load on a page: every
    block drawn, every box opened, every figure loaded (see `visit`)."""
    seen = visit(browser, url, READER_LOADS)
    return seen["requests"], seen["bytes"]
