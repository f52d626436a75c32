"""MkDocs hook: light notebook pages, and the notebooks offered for download.

mkdocs-jupyter renders each executed notebook (figures/notebooks/, reached through the
docs/notebooks link) with JupyterLab's whole stylesheet inlined: about 600 KB per page,
for a few code cells and plots. This hook keeps the content and drops the weight:

* the inlined `<style>` and `<script>` blocks go (JupyterLab's CSS, a clipboard library,
  a Mermaid loader); the page loads the site's small `notebook.css` instead, and code
  cells become ordinary highlighted code blocks (`<pre><code>`), styled and given a copy
  button by the theme like every other code block;
* each plot, inlined by nbconvert as a base64 SVG, becomes a file next to the page,
  loaded lazily, with the alt text written in the notebook source (cell metadata `alt`);
* prompts ("In [3]:") and the focus stops on every cell (tabindex) are removed;
* under the title, a button downloads the notebook (the copy mkdocs-jupyter's
  `include_source` puts next to the page, which hooks/downloads.py strips of outputs).
"""

import base64
import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S)
SCRIPT = re.compile(r"<script[^>]*>.*?</script>\s*", re.S)
CLIPBOARD = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>\s*', re.S)
CLIPBOARD_TEXT = re.compile(r'<div class="clipboard-copy-txt"[^>]*>.*?</div>\s*', re.S)
CODE = re.compile(r'(<div class="highlight-ipynb[^"]*"><pre>)(.*?)(</pre>)', re.S)
TABINDEX = re.compile(r' tabindex="0"')
CELL = re.compile(r'id="cell-id=(cell-\d+)"')
SVG_IMAGE = re.compile(r'<img alt="[^"]*"(?: class="[^"]*")? src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"\s*/?>')


def is_notebook(page) -> bool:
    return page.file.src_path.startswith("notebooks/") and page.file.src_path.endswith(".ipynb")


def alt_texts(notebook_path: Path) -> dict[str, str]:
    """Cell id -> the alt text of the plot it draws (cell metadata `alt`)."""
    nb = json.loads(Path(notebook_path).read_text())
    return {cell["id"]: cell["metadata"]["alt"] for cell in nb["cells"] if "alt" in cell.get("metadata", {})}


DOWNLOAD = """
<p class="notebook-download"><a class="md-button md-button--primary" href="{name}" download>Download this notebook</a>
<span>The .ipynb file, without outputs: predict, then run. It needs the site's library, in the
archive on the <a href="../">notebooks page</a>.</span></p>
"""


def slim(content: str, alts: dict[str, str], write_figure) -> str:
    """The notebook's HTML without inlined styles and scripts, with plots as files.

    `write_figure(name, svg_bytes)` stores a plot next to the page. A plot in a cell
    without alt text is an error, as for every figure of the site.
    """
    content = STYLE.sub("", content)
    content = SCRIPT.sub("", content)
    content = CLIPBOARD.sub("", content)
    content = CLIPBOARD_TEXT.sub("", content)
    content = TABINDEX.sub("", content)
    content = content.replace('class="anchor-link"', 'class="headerlink"')
    content = CODE.sub(lambda m: f"{m[1]}<code>{m[2].removeprefix('<span></span>')}</code>{m[3]}", content)

    pieces = CELL.split(content)  # text, cell id, text, cell id, text, ...
    out, count = [pieces[0]], 0
    for cell_id, text in zip(pieces[1::2], pieces[2::2]):
        def figure(match, cell_id=cell_id):
            nonlocal count
            if cell_id not in alts:
                raise PluginError(f"notebook {cell_id} draws a plot but has no alt text (cell metadata `alt`)")
            count += 1
            name = f"figure-{count}.svg"
            write_figure(name, base64.b64decode(match[1]))
            return f'<img alt="{html.escape(alts[cell_id])}" src="{name}" loading="lazy">'

        out.append(f'id="cell-id={cell_id}"' + SVG_IMAGE.sub(figure, text))
    return "".join(out)


def on_page_content(html_text, page, config, files):
    if not is_notebook(page):
        return html_text
    target = Path(page.file.abs_dest_path).parent

    def write_figure(name, data):
        target.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)

    page.meta["styles"] = [*page.meta.get("styles", []), "notebook.css"]
    content = slim(html_text, alt_texts(page.file.abs_src_path), write_figure)
    return content.replace("</h1>", "</h1>" + DOWNLOAD.format(name=Path(page.file.src_path).name), 1)

