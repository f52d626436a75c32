"""The determinism test's second run of every figure script, in the background.

The rerun takes about as long as a cold `make figures` on one core, so it starts as soon
as the tests are collected and runs beside them; the test waits for it at the end. Under
pytest-xdist the tests run in worker processes, so the rerun is started once, by the
process that schedules them, in a folder named in the environment the workers inherit
(FIGURES_RERUN_DIR). The rerun holds a lock on `<folder>/lock` for as long as it runs
(the lock is taken before it starts and passed to it, so no test can see it free too
early); `wait` blocks on that lock, with no polling, then reads the exit status.
"""

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ENV = "FIGURES_RERUN_DIR"


def prepare() -> None:
    """Name the folder before any worker starts (workers inherit os.environ)."""
    if ENV not in os.environ:
        os.environ[ENV] = tempfile.mkdtemp(prefix="figures-rerun-")


def folder() -> Path:
    return Path(os.environ[ENV])


def start(project: Path, env: dict) -> subprocess.Popen:
    """Run `vanishing.runner --force` into <folder>/out, holding <folder>/lock until done."""
    base = folder()
    lock = os.open(base / "lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)
    command = (f'"{sys.executable}" -m vanishing.runner --force --out "{base / "out"}" > "{base / "log"}" 2>&1;'
               f' echo $? > "{base / "returncode"}"')
    try:
        return subprocess.Popen(["sh", "-c", command], cwd=project, env=env, pass_fds=(lock,),
                                start_new_session=True)
    finally:
        os.close(lock)  # the rerun keeps its own copy of the locked file open until it ends


def wait() -> tuple[Path, int, str]:
    """(output folder, exit status, log) once the rerun has finished."""
    base = folder()
    if not (base / "lock").exists():
        raise RuntimeError("the figure rerun was never started (see tests/rerun.py)")
    with open(base / "lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
    return base / "out", int((base / "returncode").read_text()), (base / "log").read_text()


def stop(process: subprocess.Popen | None) -> None:
    """Stop a rerun still going (tests failed or deselected) and remove its folder."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    shutil.rmtree(folder(), ignore_errors=True)
