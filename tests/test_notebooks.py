"""Every companion notebook runs from top to bottom, from its own folder, in a fresh kernel.

Notebooks are committed without outputs (small, deterministic files); this test is what
keeps them working as the library changes.
"""

import json

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import PROJECT

NOTEBOOKS = sorted((PROJECT / "docs" / "notebooks").glob("*.ipynb"))
TIMEOUT = 120  # seconds per cell; each notebook takes well under a minute


def test_there_is_one_notebook_per_chapter():
    assert [p.name.split("-")[1] for p in NOTEBOOKS] == ["1", "2", "3"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name}: outputs committed"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        cell = next((k for k, c in enumerate(nb.cells) if c.get("outputs") and
                     any(o.get("output_type") == "error" for o in c["outputs"])), "?")
        pytest.fail(f"{path.name}, cell {cell}: {error}")
