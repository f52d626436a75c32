"""MkDocs hook: every figure gets its code, a phone variant and a way to enlarge it.

* **The code behind each figure.** For every figure `figures/<stem>.svg` on a page, the
  script that drew it is the one whose name starts the file name (the runner enforces
  this), and the lines that compute it are the snippet section `<stem>` of that script
  (`# --8<-- [start:<stem>]` ... `# --8<-- [end:<stem>]`). Right after the figure's
  `</figure>`, this hook adds a folded "The code behind this figure" box that includes
  that section, so pages need no hand-written box next to each figure. The listing
  stays out of the page until the reader opens the box (`hooks/folded.py`): the folded
  listings were half of a chapter's elements, and styling them (Material measures every
  code block at load) was most of the chapter's blocking time on a phone.
  A script whose figures share one computation marks it once, as the section named
  after the script (`<script>`); a figure's own section `<stem>` wins where both exist.
  A figure whose script has neither fails the build, naming the page and the line.
* **Phone variant.** Where `figures/<stem>.phone.svg` exists, the image becomes a
  `<picture>` whose phone source is chosen on narrow screens (vanishing/style.py).
* **Widgets.** A block `<div data-widget="name" ...>` makes the page load
  `assets/javascripts/name.js` (and `assets/stylesheets/name.css` if there is one; no
  front-matter edit needed); a missing script fails the
  build, naming the page and line.
* **Enlarge.** The image is wrapped in a link to the full-size (desktop) SVG: without
  JavaScript a tap opens it, and `figure-zoom.js`, added to every page with figures,
  shows it in a dialog instead.
"""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

FIGURE_IMAGE = re.compile(r"\]\(((?:\.\./)*figures/([a-z0-9_]+)\.svg)\)")
SECTION = "# --8<-- [{kind}:{name}]"
PHONE_MEDIA = "(max-width: 44.9375em)"  # = vanishing.style.PHONE_MEDIA (hooks do not import the library)
ZOOM_SCRIPT = "figure-zoom.js"
CODE_BOX_TITLE = "The code behind this figure"
WIDGET = re.compile(r"""\bdata-widget=["']([a-z0-9-]+)["']""")


def script_for(stem: str, scripts_dir: Path) -> Path | None:
    """The figure script whose name starts the output's name (longest match)."""
    names = sorted((p.stem for p in scripts_dir.glob("*.py") if not p.name.startswith("_")), key=len, reverse=True)
    for name in names:
        if stem == name or stem.startswith(name + "_"):
            return scripts_dir / f"{name}.py"
    return None


def code_section(stem: str, script: Path) -> str | None:
    """The snippet section that computes a figure: its own, else its script's."""
    source = script.read_text()
    for name in (stem, script.stem):
        if SECTION.format(kind="start", name=name) in source and SECTION.format(kind="end", name=name) in source:
            return name
    return None


def code_box(indent: str, script: str, section: str) -> list[str]:
    return [
        "",
        f'{indent}??? example "{CODE_BOX_TITLE} (`scripts/{script}.py`)"',
        f"{indent}    ```python",
        f'{indent}    --8<-- "scripts/{script}.py:{section}"',
        f"{indent}    ```",
        "",
    ]


def add_code_boxes(markdown: str, scripts_dir: Path, offset: int = 0):
    """The page with a code box after each figure, and a list of problems (line, message).

    `offset` is the number of front-matter lines MkDocs removed, so messages give the
    line as the author sees it in the file.
    """
    lines = markdown.split("\n")
    problems, insert_after = [], {}
    for number, line in enumerate(lines):
        for _, stem in FIGURE_IMAGE.findall(line):
            script = script_for(stem, scripts_dir)
            if script is None:
                problems.append((number + 1 + offset, f"figure 'figures/{stem}.svg' comes from no script in scripts/"))
                continue
            section = code_section(stem, script)
            if section is None:
                problems.append((number + 1 + offset,
                                 f"figure 'figures/{stem}.svg' has no code section in scripts/{script.name}: mark the "
                                 f"lines that compute it with '{SECTION.format(kind='start', name=stem)}' and "
                                 f"'{SECTION.format(kind='end', name=stem)}'"
                                 + (f" (or, for all its figures, '{SECTION.format(kind='start', name=script.stem)}' ...)"
                                    if stem != script.stem else "")))
                continue
            close = next((i for i in range(number, len(lines)) if "</figure>" in lines[i]), None)
            if close is None:
                problems.append((number + 1 + offset, f"figure 'figures/{stem}.svg' is not inside <figure>...</figure>"))
                continue
            indent = re.match(r"\s*", lines[close]).group(0)
            insert_after.setdefault(close, []).append((indent, script.stem, section))
    for close in sorted(insert_after, reverse=True):
        box = [line for indent, script, stem in insert_after[close] for line in code_box(indent, script, stem)]
        lines[close + 1:close + 1] = box
    return "\n".join(lines), problems


@event_priority(90)  # after the reference check (100), before snippets and macros run
def on_page_markdown(markdown, page, config, files):
    project = Path(config.config_file_path).parent
    source = page.file.content_string
    offset = source[: len(source) - len(markdown)].count("\n") if source.endswith(markdown) else 0
    markdown, problems = add_code_boxes(markdown, project / "scripts", offset)
    if problems:
        raise PluginError("\n".join(f"{page.file.src_path}:{line}: {message}" for line, message in problems))
    wanted = [ZOOM_SCRIPT] if FIGURE_IMAGE.search(markdown) else []
    docs = Path(config.docs_dir)
    for number, line in enumerate(source.split("\n"), start=1):  # <div data-widget="name">: loads name.js
        for name in WIDGET.findall(line):
            if not (docs / "assets" / "javascripts" / f"{name}.js").is_file():
                raise PluginError(f"{page.file.src_path}:{number}: widget '{name}' has no "
                                  f"docs/assets/javascripts/{name}.js")
            wanted.append(f"{name}.js")
            if (docs / "assets" / "stylesheets" / f"{name}.css").is_file():
                styles = list(page.meta.get("styles") or [])
                page.meta["styles"] = styles + ([f"{name}.css"] if f"{name}.css" not in styles else [])
    scripts = list(page.meta.get("scripts") or [])
    page.meta["scripts"] = scripts + [name for name in dict.fromkeys(wanted) if name not in scripts]
    return markdown



IMG = re.compile(r'<img\b[^>]*\bsrc="((?:\.\./)*figures/([a-z0-9_]+)\.svg)"[^>]*>')


def on_page_content(html, page, config, files):
    """Phone sources and enlarge links around the figure images."""
    figures = Path(config.config_file_path).parent / "figures"

    def wrap(match):
        img, src, stem = match.group(0), match.group(1), match.group(2)
        picture = img
        if (figures / f"{stem}.phone.svg").exists():
            phone = src[: -len(".svg")] + ".phone.svg"
            picture = f'<picture><source media="{PHONE_MEDIA}" srcset="{phone}">{img}</picture>'
        return f'<a class="figure-zoom" href="{src}" title="Enlarge the figure">{picture}</a>'

    return IMG.sub(wrap, html)
