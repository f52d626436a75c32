"""Figures read on a phone: at 390 CSS px wide, no figure text renders below 11 px.

Each figure is measured as the browser shows it, on the phone walks of conftest (with
JavaScript, every folded box open: widgets put their SVG inline; and without, where every
static figure shows, the explorer's preview included): every figure image reports the
file it actually chose (`currentSrc`: the phone variant from `<picture>` where there is
one) and its rendered width; the SVG then tells the font
size of every glyph in its own units (vanishing.svgtext), and the rendered size is that
times rendered width / viewBox width. "Size" is the em size, what CSS calls font-size;
superscripts count at their own, smaller size.
"""

from urllib.parse import unquote, urlparse

import pytest

from conftest import ON_JS_WALK, ON_NO_JS_WALK
from vanishing import svgtext

pytestmark = pytest.mark.browser

SMALLEST_PX = 11.0


def rendered_figures(visits, site_dir):
    """(page, figure, SVG text, rendered width in CSS px) for every figure seen on a walk."""
    found = []
    for path, seen in visits.items():
        for figure in seen["figures"]:
            assert figure["src"], f"{path}: a figure that did not load"
            src = unquote(urlparse(figure["src"]).path)
            found.append((path, src.rsplit("/", 1)[-1], (site_dir / src.lstrip("/")).read_text(), figure["width"]))
        for figure in seen.get("inline_figures", []):
            found.append((path, "inline widget SVG", figure["svg"], figure["width"]))
    return found


def check_text_sizes(figures) -> None:
    assert len(figures) >= 30
    assert all(name.endswith(".phone.svg") for _, name, _, _ in figures if name.endswith(".svg")), \
        "on a phone every figure is its phone variant"
    too_small = []
    for path, name, svg, width in figures:
        smallest = svgtext.smallest_text(svg) * width / svgtext.view_box(svg)[0]
        if smallest < SMALLEST_PX:
            too_small.append(f"{path} {name}: {smallest:.1f} px")
    assert too_small == []


@ON_JS_WALK
def test_no_figure_text_renders_below_11_px_on_a_phone(site_visits, site_dir):
    """With JavaScript, every folded box open: the widgets' inline SVG included."""
    check_text_sizes(rendered_figures(site_visits, site_dir))


@ON_NO_JS_WALK
def test_no_figure_text_renders_below_11_px_on_a_phone_without_javascript(site_visits_without_js, site_dir):
    check_text_sizes(rendered_figures(site_visits_without_js, site_dir))
