"""The companion notebooks: readable sources, executed by `make figures`, shown with their
outputs, and runnable anywhere from the downloadable archive.

Sources are percent-format scripts (`notebooks/*.py`) sharing one setup cell; the
`.ipynb` files are generated (figures/notebooks/, never committed). The archive test is
the reader's experience: unpack the download somewhere else, install the wheel, run.
"""

import json
import math
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import PROJECT

SOURCES = sorted((PROJECT / "notebooks").glob("[!_]*.py"))
SETUP = PROJECT / "notebooks" / "_setup.py"
NAMES = [p.stem for p in SOURCES]


def test_one_notebook_per_chapter_as_a_percent_script():
    assert [name.split("-")[1] for name in NAMES] == ["1", "2", "3"]
    for source in SOURCES:
        nb = jupytext.read(source, fmt="py:percent")
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), source.name
        assert sum(c.cell_type == "code" for c in nb.cells) >= 3, source.name


def test_the_setup_is_written_once_and_no_source_reaches_into_the_repository():
    setup = SETUP.read_text()
    assert "from vanishing import" in setup
    for source in [*SOURCES, SETUP]:
        text = source.read_text()
        assert "sys.path" not in text and "PYTHONPATH" not in text, source.name
    for source in SOURCES:
        assert "from vanishing" not in source.read_text() and "import vanishing" not in source.read_text(), (
            f"{source.name} imports the library itself: the shared setup cell does that")


def test_no_notebook_file_is_committed():
    """The .ipynb files are generated from the sources; a committed copy would drift."""
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=PROJECT, capture_output=True, text=True)
    assert tracked.returncode == 0 and tracked.stdout == ""


def test_every_prediction_has_its_answer_folded_after_the_cell():
    for source in SOURCES:
        cells = jupytext.read(source, fmt="py:percent").cells
        questions = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and "**Predict, then run.**" in c.source]
        assert len(questions) >= 2, source.name
        for i in questions:
            assert cells[i + 1].cell_type == "code", f"{source.name}: no cell after the question in cell {i}"
            answer = cells[i + 2]
            assert answer.cell_type == "markdown" and answer.source.startswith("<details"), (
                f"{source.name}: the answer to cell {i} is not folded right after the code")


def test_the_residual_network_uses_the_librarys_branch_scale():
    """The chapter-3 notebook once used branch scale 1 while the page used 0.1."""
    text = (PROJECT / "notebooks" / "chapter-3-fixes.py").read_text()
    scales = re.findall(r"branch_scale=([^,)\s]+)", text)
    assert scales and all(not re.fullmatch(r"[\d.]+", s) for s in scales), scales


@pytest.mark.parametrize("name", NAMES)
def test_make_figures_executed_the_notebook(figures_dir, name):
    nb = json.loads((figures_dir / "notebooks" / f"{name}.ipynb").read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), "a cell did not run"
    outputs = [o for c in code for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert sum("image/svg+xml" in o.get("data", {}) for o in outputs) >= 2, "fewer than two plots"
    for cell in code:
        if any("image/svg+xml" in o.get("data", {}) for o in cell["outputs"]):
            assert len(cell["metadata"].get("alt", "")) > 40, f"a plot without alt text in {name}"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_page_shows_outputs_and_offers_the_notebook(site_dir, name):
    page = site_dir / "notebooks" / name
    html = (page / "index.html").read_text()
    assert "<style" not in html.split('class="jupyter-wrapper"')[1], "JupyterLab's CSS is still inlined"
    images = re.findall(r'<img alt="([^"]+)" src="(figure-\d+\.svg)" loading="lazy">', html)
    assert len(images) >= 2 and all((page / src).is_file() and len(alt) > 40 for alt, src in images)
    assert "digits: (1797, 64)" in html, "the printed output of the setup cell is missing"
    assert re.search(rf'<a class="md-button md-button--primary" href="{name}\.ipynb" download>', html)
    download = nbformat.read(page / f"{name}.ipynb", as_version=4)
    assert all(not c.outputs for c in download.cells if c.cell_type == "code"), "the download has outputs"


def test_the_notebooks_page_offers_the_archive_and_the_wheel(site_dir):
    from downloads import ARCHIVE, wheel_name  # hooks/downloads.py builds both

    html = (site_dir / "notebooks" / "index.html").read_text()
    for name in (ARCHIVE, wheel_name()):
        assert f'href="../downloads/{name}"' in html, name
        assert (site_dir / "downloads" / name).is_file()


@pytest.mark.browser
def test_notebook_pages_weigh_at_most_300_kb(browser, served_site):
    from conftest import page_weight

    for name in NAMES:
        _, size = page_weight(browser, f"{served_site}/notebooks/{name}/")
        assert size <= 300 * 1024, f"{name}: {size / 1024:.0f} KB"


def isolated_python(tmp: Path, library: Path) -> Path:
    """A Python that sees this environment's packages and `library`, and nothing of the repository.

    A bare virtualenv whose one .pth file adds this environment's site-packages and the
    folder the wheel was installed into. Site-packages' own .pth files (among them the
    editable install pointing into scripts/) are not processed for a folder added this way.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp / "env")], check=True)
    python = tmp / "env" / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    (purelib / "environment.pth").write_text(f"{library}\n{sysconfig.get_paths()['purelib']}\n")
    return python


@pytest.mark.slow
def test_the_archive_runs_outside_the_repository(site_dir, tmp_path):
    """Unpack the download, install its wheel without dependencies, run every notebook."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from downloads import ARCHIVE, FOLDER

    assert not tmp_path.resolve().is_relative_to(PROJECT)
    with zipfile.ZipFile(site_dir / "downloads" / ARCHIVE) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / FOLDER
    wheel = next(folder.glob("*.whl"))
    notebooks = sorted(folder.glob("*.ipynb"))
    assert [p.stem for p in notebooks] == NAMES
    requirements = (folder / "requirements.txt").read_text().splitlines()
    assert f"./{wheel.name}" in requirements and any(r.startswith("jax==") for r in requirements)
    assert "pip install -r requirements.txt" in (folder / "README.txt").read_text()

    library = tmp_path / "library"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "--target", str(library), str(wheel)], check=True)
    python = isolated_python(tmp_path, library)
    spec = tmp_path / "kernels" / "isolated"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "isolated", "language": "python"}))
    # The environment's packages may live in the checkout's .venv; nothing else of it may be seen.
    check = ("import sys, vanishing\n"
             "print(vanishing.__file__)\n"
             f"print([p for p in sys.path if p.startswith({str(PROJECT)!r}) and not p.startswith({sys.prefix!r})])")
    # The kernels may reuse the compiled code `make figures` kept (a cache of compiled XLA
    # programs, not of Python code): the notebooks compute the same things.
    from vanishing import notebooks as nb_tools, runner

    env = {k: v for k, v in nb_tools.kernel_env(runner.jax_cache_dir(), runner.PERSISTENT_CACHE).items()
           if k not in ("PYTHONPATH", "JUPYTER_PATH")}
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(check))
        km = KernelManager(kernel_name="isolated", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)]))
        NotebookClient(nb, km=km, timeout=300, extra_arguments=["--IPKernelApp.log_level=ERROR"],
                       resources={"metadata": {"path": str(folder)}}).execute(env=env)
        # The kernel may send the two printed lines as one output or as two.
        printed = "".join(output["text"] for output in nb.cells[-1].outputs if output["output_type"] == "stream")
        where, repository_paths = printed.splitlines()
        assert Path(where).is_relative_to(library), f"{path.name} imported the library from {where}"
        assert repository_paths == "[]", f"{path.name}: the repository is on the path: {repository_paths}"


def printed(figures_dir, name: str) -> str:
    nb = json.loads((figures_dir / "notebooks" / f"{name}.ipynb").read_text())
    return "".join("".join(o["text"]) for c in nb["cells"] if c["cell_type"] == "code"
                   for o in c["outputs"] if o["output_type"] == "stream")


def values(text: str, pattern: str) -> dict[str, float]:
    return {m[0]: float(m[1]) for m in re.findall(pattern, text)}


def test_the_folded_answers_agree_with_what_the_notebooks_printed(figures_dir):
    """The answers are prose written once; the outputs are computed at every build."""
    ch1 = printed(figures_dir, "chapter-1-gradients")
    losses = re.findall(r"η = ([\d.]+), seed \d: final loss ([\d.]+)", ch1)
    fast = [float(v) for lr, v in losses if lr == "0.1"]
    slow = [float(v) for lr, v in losses if lr == "0.01"]
    assert fast and slow and max(fast) < min(slow), "answer: 0.1 ends lower than 0.01"
    new_w = re.search(r"after one step: w, b = \[(-?[\d.]+)", ch1)
    assert new_w and float(new_w[1]) > -0.5, "answer: w goes up from -0.5"

    ch2 = printed(figures_dir, "chapter-2-vanishing")
    assert "largest slope: 0.25 at z = 0.0" in ch2 and "below 1e-06 : 10 layers" in ch2
    ratio = values(ch2, r"(sigmoid|tanh|relu)\s+layer 1 / layer 20: ([\d.e+-]+)")
    assert ratio["tanh"] > ratio["relu"] > ratio["sigmoid"], "answer: tanh keeps the most, sigmoid the least"
    train = values(ch2, r"(\d+) layers: loss over the last 20 steps ([\d.]+)")
    assert train["2"] < math.log(10) - 0.5 and abs(train["10"] - math.log(10)) < 0.1, train

    ch3 = printed(figures_dir, "chapter-3-fixes")
    forward = values(ch3, r"(lecun|he)\s*: layer 50 / layer 1 = ([\d.e+-]+)")
    assert forward["lecun"] < 1e-6 and 0.1 < forward["he"] < 10, forward
    signal = values(ch3, r"(sigmoid, Xavier|ReLU, He|ReLU, He, residual)\s+layer 1 / layer 30: ([\d.e+-]+)")
    closest = min(signal, key=lambda k: abs(math.log10(signal[k])))
    assert closest == "ReLU, He, residual" and signal["sigmoid, Xavier"] < 1e-6, signal
    trained = values(ch3, r"(ReLU, He|ReLU, He, residual)\s+loss over the last 20 steps: ([\d.]+)")
    assert trained["ReLU, He, residual"] < trained["ReLU, He"] / 2, "answer: the residual network learns much faster"
