"""MkDocs hook: figures load fast and never make the page jump.

* Every figure gets a `height` to go with its `width` (read from the SVG's own size), so
  the browser reserves its box before the file arrives: nothing below it moves.
* The first figure of a page is fetched early (`fetchpriority="high"`): it is usually
  the largest thing on the first screen. The others wait until the reader scrolls near
  them (`loading="lazy"`), so they do not compete with it, and decode off the main thread.
"""

import re
from pathlib import Path

IMG = re.compile(r"<img\b[^>]*>")
SRC = re.compile(r'\ssrc="([^"]+\.svg)"')
SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)(?:pt|px)?"[^>]*?\sheight="([\d.]+)(?:pt|px)?"', re.S)


def svg_aspect(path: Path) -> float | None:
    """height / width of an SVG file, from the size on its root element."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return None
    match = SVG_SIZE.search(head)
    return float(match.group(2)) / float(match.group(1)) if match else None


def sized(tag: str, aspect: float | None) -> str:
    width = re.search(r'\swidth="(\d+)"', tag)
    if aspect and width and " height=" not in tag:
        tag = tag.replace(width.group(0), f'{width.group(0)} height="{round(int(width.group(1)) * aspect)}"', 1)
    return tag


def on_page_content(content, page, config, files):
    page_dir = (Path(config.docs_dir) / page.file.src_path).parent
    first = True

    def improve(match):
        nonlocal first
        tag = match.group(0)
        src = SRC.search(tag)
        if not src or "figures/" not in src.group(1):
            return tag
        tag = re.sub(r'\s(loading|decoding|fetchpriority)="[^"]*"', "", sized(tag, svg_aspect(page_dir / src.group(1))))
        extra = ' fetchpriority="high"' if first else ' loading="lazy" decoding="async"'
        first = False
        return tag[:4] + extra + tag[4:]

    return IMG.sub(improve, content)
