"""MkDocs hook: under `mkdocs serve`, bring stale figures up to date before every rebuild.

`mkdocs.yml` watches scripts/ and figures/. When an author saves a figure script, the
rebuild that follows first runs the figure runner (a no-op in well under a second when
nothing changed), which rewrites that script's figures; the changed figures trigger one
more rebuild, and the browser reloads with the new picture. `mkdocs build` does not run
scripts: `make site` runs `make figures` first, and a missing figure must fail the build.
"""

import logging
import subprocess
import sys
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.figures")
_command = None


def on_startup(command, dirty):
    global _command
    _command = command


def on_pre_build(config):
    if _command != "serve":
        return
    project = Path(config.config_file_path).parent
    result = subprocess.run([sys.executable, "-m", "vanishing.runner"], cwd=project)
    if result.returncode != 0:
        log.warning("make figures failed (see above); the site shows the previous figures")
