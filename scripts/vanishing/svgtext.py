"""Read the text back out of our SVG figures: what each run says and how big it is drawn.

Matplotlib writes text as glyph outlines (`svg.fonttype = "path"`, see style.py): every
glyph is defined once as a path (`<path id="DejaVuSans-13">`, named by font and glyph
index) and placed with `<use xlink:href="#DejaVuSans-13" transform="...">` inside a group
whose transform scales it to the font size. A glyph outline spans 100 units per em before
scaling, so a glyph's font size, in the SVG's own units, is 100 times the scale of the
transforms that place it. Superscripts (the -18 of 10^-18) come out smaller, by their
own `scale(0.7)`.

Two uses: tests check that no text renders below a minimum size on a phone (the font
size in SVG units times the figure's rendered width over its viewBox width), and that
every number drawn on a diagram is the number the script generated (the text of the
group whose `gid` names it).
"""

import functools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
GLYPH_EM = 100.0  # matplotlib's glyph outlines span 100 units per em (textpath.FONT_SCALE)
_TRANSFORM = re.compile(r"(translate|scale|matrix|rotate)\(([^)]*)\)")
_GLYPH = re.compile(r"^(?P<font>.+)-(?P<index>[0-9a-f]+)$")


@dataclass(frozen=True)
class Glyph:
    font: str          # PostScript name, e.g. "DejaVuSans"
    index: int         # glyph index in that font
    size: float        # font size in SVG user units (em)
    group: str | None  # id of the nearest enclosing element with a matplotlib gid or id

    @property
    def char(self) -> str:
        return glyph_char(self.font, self.index)


def _scale(transform: str | None) -> float:
    """The linear scale factor of an SVG transform list (sqrt of |det|)."""
    factor = 1.0
    for kind, args in _TRANSFORM.findall(transform or ""):
        values = [float(v) for v in re.split(r"[\s,]+", args.strip()) if v]
        if kind == "scale":
            sx = values[0]
            sy = values[1] if len(values) > 1 else sx
            factor *= math.sqrt(abs(sx * sy))
        elif kind == "matrix":
            a, b, c, d = values[:4]
            factor *= math.sqrt(abs(a * d - b * c))
    return factor


def view_box(svg_text: str) -> tuple[float, float]:
    """(width, height) of the SVG's viewBox, in user units."""
    root = ET.fromstring(svg_text)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    return width, height


def glyphs(svg_text: str) -> list[Glyph]:
    """Every glyph drawn in the SVG, in document order, with its font size and group."""
    root = ET.fromstring(svg_text)
    found: list[Glyph] = []

    def walk(node, scale: float, group: str | None, in_defs: bool):
        tag = node.tag.removeprefix(SVG)
        in_defs = in_defs or tag == "defs"
        scale *= _scale(node.get("transform"))
        if tag == "g" and node.get("id"):
            group = node.get("id")
        if tag == "use" and not in_defs:
            match = _GLYPH.match(node.get(XLINK_HREF, "").lstrip("#"))
            if match and not match["font"].startswith("m"):  # m0123abcd: a marker, not a glyph
                found.append(Glyph(match["font"], int(match["index"], 16), GLYPH_EM * scale, group))
        for child in node:
            walk(child, scale, group, in_defs)

    walk(root, 1.0, None, False)
    return found


def smallest_text(svg_text: str) -> float:
    """The smallest font size of any glyph, in SVG user units (inf if there is no text)."""
    return min((g.size for g in glyphs(svg_text)), default=math.inf)


def texts_by_group(svg_text: str, prefix: str) -> dict[str, str]:
    """{id: text} for every group whose id starts with `prefix` (text of nested glyphs too)."""
    root = ET.fromstring(svg_text)
    result: dict[str, str] = {}

    def chars(node, in_defs):
        tag = node.tag.removeprefix(SVG)
        in_defs = in_defs or tag == "defs"
        if tag == "use" and not in_defs:
            match = _GLYPH.match(node.get(XLINK_HREF, "").lstrip("#"))
            if match and not match["font"].startswith("m"):
                yield glyph_char(match["font"], int(match["index"], 16))
        for child in node:
            yield from chars(child, in_defs)

    for node in root.iter():
        ident = node.get("id")
        if ident and ident.startswith(prefix):
            result[ident] = "".join(chars(node, False))
    return result


@functools.cache
def _fonts() -> dict[str, dict[int, str]]:
    """PostScript name -> {glyph index: character} for matplotlib's bundled fonts."""
    import matplotlib
    from matplotlib.ft2font import FT2Font

    table = {}
    for path in sorted(Path(matplotlib.get_data_path(), "fonts", "ttf").glob("*.ttf")):
        font = FT2Font(str(path))
        inverse: dict[int, str] = {}
        for code, index in sorted(font.get_charmap().items(), reverse=True):
            inverse[index] = chr(code)  # the lowest code point wins for shared glyphs
        table[font.postscript_name] = inverse
    return table


def glyph_char(font: str, index: int) -> str:
    """The character a glyph draws ('?' if the font or glyph is unknown)."""
    return _fonts().get(font, {}).get(index, "?")
