"""Where a figure script's results go, written so that a failure leaves nothing half-done.

A script calls `out.figure`, `out.data`, `out.table` and `out.number`; every file is
first written into a private staging folder. Only when the whole script has succeeded
does the runner call `commit()`, which moves each file into place with an atomic
rename. A script that raises half-way therefore changes nothing in `figures/`.

Every output's name starts with its script's name (`scripts/foo.py` writes
`figures/foo*.svg`, `figures/data/foo*.json`, `figures/tables/foo*.md`); a script that
names an output otherwise fails, and the runner names the script.
"""

import json
import math
import os
import re
import shutil
from pathlib import Path

_STEM = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_NOTEBOOK = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # notebook names are page addresses: hyphens


def round_significant(value: float, digits: int = 4) -> float:
    """Round to significant digits, so printed numbers don't depend on float noise."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def rounded(obj, digits: int = 6):
    """Recursively round every float in nested lists/dicts (for deterministic JSON)."""
    if isinstance(obj, dict):
        return {k: rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [rounded(v, digits) for v in obj]
    if isinstance(obj, float):
        return round_significant(obj, digits)
    return obj


class Outputs:
    """Collects one script's outputs in staging, then commits them atomically."""

    def __init__(self, script: str, out_dir: Path, staging_dir: Path):
        self.script = script
        self.out_dir = Path(out_dir)
        self.staging_dir = Path(staging_dir)
        self.files: list[str] = []  # paths relative to out_dir
        self.numbers: dict[str, float | int | str] = {}
        self.exact: dict[str, float] = {}  # numbers before rounding, to check quotes against tables
        if self.staging_dir.exists():
            shutil.rmtree(self.staging_dir)
        self.staging_dir.mkdir(parents=True)

    def _stage(self, relative: str) -> Path:
        self._check_prefix(relative)
        if relative in self.files:
            raise ValueError(f"{self.script} writes {relative} twice")
        self.files.append(relative)
        path = self.staging_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def _check_prefix(self, relative: str) -> None:
        """Every output file's name starts with its script's name: one hop from a figure,
        table or data file to the code that made it."""
        name = relative.rsplit("/", 1)[-1]
        stem = name.split(".", 1)[0]
        if stem != self.script and not stem.startswith(self.script + "_"):
            raise ValueError(
                f"scripts/{self.script}.py writes {relative!r}: an output's name must start with its "
                f"script's name, e.g. '{self.script}_{stem}' (so that a reader finds scripts/{self.script}.py "
                f"from figures/{relative})")

    @staticmethod
    def _check_stem(stem: str) -> None:
        if not _STEM.match(stem):
            raise ValueError(f"output name {stem!r} must be lower_snake_case")

    def figure(self, stem: str, fig, phone=None) -> None:
        """Save a matplotlib figure as figures/<stem>.svg, and its phone variant as
        figures/<stem>.phone.svg, without timestamps.

        `phone` is None (the phone variant is made from the figure by `style.phone`), a
        function that adjusts that automatic variant further, or a Figure drawn for
        phones by the script itself (diagrams whose layout must change). Both variants
        must pass `style.check`: no legend covers data, layer axes tick at whole numbers.
        """
        import matplotlib.pyplot as plt
        from matplotlib.figure import Figure

        from . import style, svgtext

        self._check_stem(stem)
        self._stage(f"{stem}.svg").write_text(svg_text(fig, f"{stem}.svg"))
        style.check(fig, f"{stem}.svg")  # checked as just saved (a failure stages nothing lasting)
        automatic = not isinstance(phone, Figure)
        if automatic:
            style.phone(fig, extra=phone)
        else:
            plt.close(fig)
            fig = phone
        for _ in range(4):  # the phone variant's smallest text must read on a 390 px screen
            text = svg_text(fig, f"{stem}.phone.svg", laid_out=automatic)
            smallest = style.phone_text_px(text)
            if smallest >= style.PHONE_MIN_PX or not automatic:
                break
            style.raise_small_text(fig, style.PHONE_DISPLAY_PX / svgtext.view_box(text)[0])
        if smallest < style.PHONE_MIN_PX:
            raise ValueError(f"figure {stem}.phone.svg: its smallest text would be {smallest:.1f} CSS px on a "
                             f"390 px phone; make it at least {style.PHONE_MIN_PX} (style.PHONE_MIN_PX)")
        style.check(fig, f"{stem}.phone.svg")
        self._stage(f"{stem}.phone.svg").write_text(text)
        plt.close(fig)

    def data(self, stem: str, payload, digits: int = 6) -> None:
        """Write the numbers behind a figure as figures/data/<stem>.json (floats rounded)."""
        self._check_stem(stem)
        text = json.dumps(rounded(payload, digits), sort_keys=True, separators=(",", ":"))
        self._stage(f"data/{stem}.json").write_text(text + "\n")

    def table(self, stem: str, markdown: str) -> None:
        """Write a Markdown table as figures/tables/<stem>.md for pymdownx.snippets."""
        self._check_stem(stem)
        self._stage(f"tables/{stem}.md").write_text(markdown.rstrip() + "\n")

    def notebook(self, name: str, text: str) -> None:
        """Write an executed notebook as figures/notebooks/<name>.ipynb."""
        if not _NOTEBOOK.match(name):
            raise ValueError(f"notebook name {name!r} must be lower-case words joined by hyphens")
        self._stage(f"notebooks/{name}.ipynb").write_text(text)

    def number(self, key: str, value, digits: int = 4) -> None:
        """Record one number for the prose, available to pages as numbers.<script>.<key>."""
        self._check_stem(key)
        if key in self.numbers:
            raise ValueError(f"{self.script} records number {key!r} twice")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            value = float(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"{self.script}: number {key!r} is {value}")
            self.exact[key] = value
            value = round_significant(value, digits)
            if value.is_integer():
                value = int(value)  # prose reads "slope 1", not "slope 1.0"
        self.numbers[key] = value

    def commit(self) -> None:
        """Move every staged file into figures/ (atomic rename per file)."""
        commit_staged(self.staging_dir, self.out_dir, self.files)

    def discard(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)


def svg_text(fig, name: str | None = None, laid_out: bool = False) -> str:
    """A figure as SVG text, without timestamps (same inputs, same bytes).

    With a `name`, a layout that could not fit (matplotlib's constrained layout gives up
    when the axes would shrink to nothing, and saves a figure with squashed axes and
    overlapping labels) raises ValueError naming the figure instead of saving it.
    `laid_out` says the figure's last `style.draw` was of its current state: the save
    keeps that layout instead of computing it again.
    """
    import io
    import warnings

    from . import style

    buffer = io.StringIO()
    engine = fig.get_layout_engine() if laid_out else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if engine is not None:
            fig.set_layout_engine("none")
        watching = fig.canvas.mpl_connect("draw_event", style.record_label_clashes)
        try:
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            fig.canvas.mpl_disconnect(watching)
            if engine is not None:
                fig.set_layout_engine(engine)
    collapsed = style.collapse_warning(caught) or (style.collapsed_at_last_draw(fig) if laid_out else None)
    if name and collapsed:
        raise ValueError(f"figure {name}: the axes do not fit the canvas ({collapsed}); give them room "
                         f"(fewer or shorter labels, a taller figure, or a phone layout of its own)")
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return buffer.getvalue()


def commit_staged(staging_dir: Path, out_dir: Path, files: list[str]) -> None:
    """Move staged files into the output folder, one atomic rename each, then drop staging."""
    for relative in files:
        target = Path(out_dir) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(Path(staging_dir) / relative, target)
    shutil.rmtree(staging_dir)


def write_atomic(path: Path, text: str) -> bool:
    """Write text via a temporary file and rename; skip (return False) if unchanged."""
    path = Path(path)
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def markdown_table(headers: list[str], rows: list[list], align: str | None = None) -> str:
    """A Markdown pipe table; `align` is one of l/c/r per column (default: right)."""
    align = align or "r" * len(headers)
    marks = {"l": ":--", "c": ":-:", "r": "--:"}
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(marks[a] for a in align) + " |",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
