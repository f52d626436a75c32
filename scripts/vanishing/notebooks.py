"""The companion notebooks: readable `# %%` sources in, executed `.ipynb` out.

Each notebook is written as a percent-format Python file (`notebooks/<name>.py`, read by
jupytext), so a diff of a notebook is a diff of code and prose. The setup every notebook
needs (imports, the plotting style, the digits) is written once, in
`notebooks/_setup.py`, and inserted after each notebook's title cell. `make figures`
executes every notebook whose inputs changed (the runner's staleness rule, as for the
figure scripts) in a fresh kernel, and writes `figures/notebooks/<name>.ipynb` with its
outputs; the site shows those, and offers them for download without outputs, so that a
reader can predict before running.
"""

import json
import os
from pathlib import Path

SETUP = "_setup.py"
CELL_TIMEOUT = 300  # seconds per cell: generous, for a loaded machine


def discover(folder: Path) -> list[Path]:
    """Notebook sources: the .py files of the folder, except those starting with '_'."""
    return sorted(p for p in Path(folder).glob("*.py") if not p.name.startswith("_"))


def assemble(source: Path, setup: Path):
    """The notebook of a source, with the shared setup cells after its opening (title) cell."""
    import jupytext

    nb = jupytext.read(source, fmt="py:percent")
    setup_cells = jupytext.read(setup, fmt="py:percent").cells
    opening = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0  # after the title cell
    nb.cells[opening:opening] = setup_cells
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"  # stable ids: same source, same file
    return nb


def execute(nb, cwd: Path, timeout: int = CELL_TIMEOUT, env: dict | None = None):
    """Run every cell in a fresh kernel (stopping at the first error); returns the notebook.

    `env` is the kernel's environment (default: this process's).
    """
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no chatter on stderr
                            resources={"metadata": {"path": str(cwd)}})
    client.execute(env=dict(os.environ if env is None else env))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merged_streams(cell.outputs)
    return nb


def merged_streams(outputs: list) -> list:
    """Consecutive prints to the same stream as one output (the kernel splits them at random)."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None and previous.output_type == "stream"
                and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def without_outputs(nb):
    """A copy of the notebook as a reader should download it: code and prose, no outputs."""
    import copy

    clean = copy.deepcopy(nb)
    for cell in clean.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return clean


def dumps(nb) -> str:
    """Deterministic JSON text of a notebook (sorted keys, one space indent, final newline)."""
    import nbformat

    nbformat.validate(nb)
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def kernel_env(cache_dir: Path | None = None, cache_options: dict | None = None) -> dict:
    """This process's environment, plus JAX's persistent cache in `cache_dir` (when given)
    configured with `cache_options`: JAX option names, which JAX reads in upper case."""
    env = dict(os.environ)
    if cache_dir is not None:
        env["JAX_COMPILATION_CACHE_DIR"] = str(cache_dir)
        env.update({option.upper(): str(value) for option, value in (cache_options or {}).items()})
    return env


def build(out, source: Path, setup: Path, cache_dir: Path | None = None, cache_options: dict | None = None) -> None:
    """Execute one notebook source and stage it as figures/notebooks/<name>.ipynb.

    With `cache_dir`, the kernel keeps JAX's compiled code there, as the figure scripts do
    (`kernel_env`).
    """
    nb = execute(assemble(source, setup), cwd=out.staging_dir, env=kernel_env(cache_dir, cache_options))
    out.notebook(source.stem, dumps(nb))
