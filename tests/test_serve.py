"""`make serve` for authors: saving a figure script regenerates its output and the page."""

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import SITE_SOURCES, VENV_BIN, copy_sources, free_port, link_shared, project_env

pytestmark = pytest.mark.slow


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_saving_a_figure_script_updates_the_served_page(tmp_path, figures_dir):
    copy_sources(tmp_path, SITE_SOURCES + ("scripts", "docs", "requirements.txt"))
    shutil.copytree(figures_dir, tmp_path / "figures")  # up to date, manifest included
    link_shared(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/why-gradients-vanish/"
    server = subprocess.Popen(
        [str(VENV_BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path, env=project_env(PYTHONPATH=str(tmp_path / "scripts")),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        started = wait_until(lambda: "Orders of magnitude lost" in fetch(url), 60)
        if started:
            script = tmp_path / "scripts" / "chain_rule_bound.py"
            script.write_text(script.read_text().replace('"Orders of magnitude lost"', '"Decades lost"'))
            updated = wait_until(lambda: "Decades lost" in fetch(url), 90)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert started, output
    assert updated, "the page never showed the new table:\n" + output
    assert "Decades lost" in (tmp_path / "figures" / "tables" / "chain_rule_bound.md").read_text()
    assert "chain_rule_bound.py" in output  # the hook reran exactly the saved script
    assert "activation_derivatives.py (" not in output
