"""MkDocs hook: the library and the notebooks as downloads, built with the site.

After every build, each notebook page's download (the copy mkdocs-jupyter's
`include_source` puts next to the page) is the notebook without its outputs, and
`site/downloads/` holds

* the library's wheel, `vanishing_gradients-<version>-py3-none-any.whl`, built by
  flit_core from `scripts/pyproject.toml` (the package the figure scripts import);
* `vanishing-gradients-notebooks.zip`: one folder with the companion notebooks (without
  outputs, so the reader predicts before running), that wheel, a `requirements.txt` (the
  wheel and its dependencies at the versions the site was built with) and a README
  saying in two lines how to run them.

Both are reproducible: the same sources give byte-identical files (fixed timestamps,
sorted entries).
"""

import contextlib
import os
import tomllib
import zipfile
from pathlib import Path

from mkdocs.plugins import event_priority

PROJECT = Path(__file__).resolve().parent.parent
PYPROJECT = PROJECT / "scripts" / "pyproject.toml"
ARCHIVE = "vanishing-gradients-notebooks.zip"
FOLDER = "vanishing-gradients-notebooks"
EPOCH = 1451606400  # 2016-01-01, flit's default date for generated files
# Installed next to the library in the archive: a kernel, so that any notebook front end
# (JupyterLab, VS Code) can run the notebooks with this environment.
EXTRA_REQUIREMENTS = ("jaxlib", "ipykernel")

README = """\
Companion notebooks of "Vanishing gradients, explained" ({url}).
In this folder, with Python 3.11 or newer:
    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt jupyterlab
    .venv/bin/jupyter lab
"""


def wheel_name() -> str:
    """The wheel's file name, from the package's name and version."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    return f"{project['name'].replace('-', '_')}-{project['version']}-py3-none-any.whl"


@contextlib.contextmanager
def source_date():
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(EPOCH)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def build_wheel(target: Path) -> Path:
    from flit_core.wheel import make_wheel_in

    target.mkdir(parents=True, exist_ok=True)
    with source_date():
        wheel = Path(make_wheel_in(PYPROJECT, target).file)
    assert wheel.name == wheel_name(), (wheel.name, wheel_name())
    return wheel


def pinned_requirements(wheel: Path) -> str:
    """The wheel, then its dependencies pinned exactly as constraints.txt pins the site's."""
    from packaging.requirements import Requirement

    pins = {}
    for line in (PROJECT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    names = [Requirement(r).name for r in tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]]
    lines = ["# The companion notebooks' library and its dependencies, as the site was built with them.",
             f"./{wheel.name}"]
    for name in [*names, *EXTRA_REQUIREMENTS]:
        key = name.lower().replace("_", "-")
        if key not in pins:
            raise KeyError(f"{name} is not pinned in constraints.txt")
        lines.append(f"{name}=={pins[key]}")
    return "\n".join(lines) + "\n"


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=(2016, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build_archive(target: Path, wheel: Path, notebooks: dict[str, str], site_url: str) -> Path:
    """The notebooks archive: {name: notebook JSON text} plus the wheel, requirements, README."""
    path = target / ARCHIVE
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        _add(archive, "README.txt", README.format(url=site_url).encode())
        _add(archive, "requirements.txt", pinned_requirements(wheel).encode())
        _add(archive, wheel.name, wheel.read_bytes())
        for name, text in sorted(notebooks.items()):
            _add(archive, name, text.encode())
    os.replace(tmp, path)
    return path


def clean_notebooks(docs_dir: Path) -> dict[str, str]:
    """Every executed notebook of the site, as JSON text without outputs."""
    import nbformat
    from vanishing import notebooks

    return {p.name: notebooks.dumps(notebooks.without_outputs(nbformat.read(p, as_version=4)))
            for p in sorted((docs_dir / "notebooks").glob("*.ipynb"))}


@event_priority(100)  # before mkdocs-macros reads `extra`: pages quote {{ library.wheel }}
def on_config(config):
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    config.extra["library"] = {"name": project["name"], "version": project["version"], "wheel": wheel_name(),
                               "archive": ARCHIVE}
    return config


def on_post_build(config):
    site = Path(config.site_dir)
    clean = clean_notebooks(Path(config.docs_dir))
    for name, text in clean.items():
        download = site / "notebooks" / Path(name).stem / name
        if download.exists():
            download.write_text(text)
    wheel = build_wheel(site / "downloads")
    build_archive(site / "downloads", wheel, clean, config.site_url or "")
