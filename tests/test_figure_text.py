"""Figures read on a phone: at 390 CSS px wide, no figure text renders below 11 px.

Each figure is measured as the browser shows it, with JavaScript (widgets put their SVG
inline) and without (every static figure, the explorer's preview included): the page is
opened at a phone's width,
every figure image reports the file it actually chose (`currentSrc`: the phone variant
from `<picture>` where there is one) and its rendered width; the SVG then tells the font
size of every glyph in its own units (vanishing.svgtext), and the rendered size is that
times rendered width / viewBox width. "Size" is the em size, what CSS calls font-size;
superscripts count at their own, smaller size.
"""

from urllib.parse import unquote, urlparse

import pytest

from conftest import RENDER_ALL, site_pages
from vanishing import svgtext

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALLEST_PX = 11.0

# Visible figures only: a widget may replace its static figure (the explorer's preview).
FIGURES_ON_PAGE = """() => Array.from(document.querySelectorAll('.md-content img[src*="figures/"]'))
  .filter(img => img.getClientRects().length > 0).map(img => {
  const style = getComputedStyle(img);
  const content = img.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
                  - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
  return {src: img.currentSrc, width: content};
})"""


INLINE_FIGURES = """() => Array.from(document.querySelectorAll('.md-content svg.stepper-svg')).map(svg => {
  const style = getComputedStyle(svg);
  const content = svg.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {svg: new XMLSerializer().serializeToString(svg), width: content};
})"""


def rendered_figures(browser, served_site, site_dir, javascript=True):
    """(page, figure, SVG text, rendered width in CSS px) for every figure on every page at 390 px."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  java_script_enabled=javascript)
    page = context.new_page()
    found = []
    for path in site_pages(site_dir):
        page.goto(served_site + path)
        page.wait_for_load_state("networkidle")
        page.evaluate(RENDER_ALL)  # every block drawn, and every lazy figure loaded, as for a reader who scrolls
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
        page.wait_for_function(
            """() => Array.from(document.querySelectorAll('.md-content img[src*="figures/"]'))
                      .every(img => img.complete && img.currentSrc)""")
        for figure in page.evaluate(FIGURES_ON_PAGE):
            src = unquote(urlparse(figure["src"]).path)
            found.append((path, src.rsplit("/", 1)[-1], (site_dir / src.lstrip("/")).read_text(), figure["width"]))
        if javascript:
            for figure in page.evaluate(INLINE_FIGURES):
                found.append((path, "inline widget SVG", figure["svg"], figure["width"]))
    context.close()
    return found


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_no_figure_text_renders_below_11_px_on_a_phone(browser, served_site, site_dir, javascript):
    figures = rendered_figures(browser, served_site, site_dir, javascript)
    assert len(figures) >= 30
    assert all(name.endswith(".phone.svg") for _, name, _, _ in figures if name.endswith(".svg")), \
        "on a phone every figure is its phone variant"
    too_small = []
    for path, name, svg, width in figures:
        smallest = svgtext.smallest_text(svg) * width / svgtext.view_box(svg)[0]
        if smallest < SMALLEST_PX:
            too_small.append(f"{path} {name}: {smallest:.1f} px")
    assert too_small == []
