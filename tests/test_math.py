"""Formulas are typeset at build time: MathML in the page, a spoken form beside it, no engine.

hooks/math.py turns every TeX formula into MathML (Temml) with an English `alttext`
(speech-rule-engine), and cuts the STIX Two Math font down to the characters used.
"""

import collections
import re
from html.parser import HTMLParser

import pytest

from conftest import PROJECT
from page_probes import OPEN_BOXES, RENDER_ALL

pytestmark = pytest.mark.slow

MATH_ENGINES = re.compile(r"<script[^>]+src=\"[^\"]*(mathjax|katex|temml|tex-(chtml|svg|mml))", re.I)
RAW_TEX = re.compile(r"\\\(|\\\[|\$\$")


def built_pages(site_dir):
    return sorted(site_dir.rglob("*.html"))


def test_no_page_loads_a_math_engine_or_shows_raw_tex(site_dir):
    for html in built_pages(site_dir):
        text = html.read_text()
        assert not MATH_ENGINES.search(text), f"{html}: loads a math engine"
        article = text[text.find("<article"):text.find("</article>")]
        prose = re.sub(r"<(pre|code|script)\b.*?</\1>", "", article, flags=re.S)
        assert not RAW_TEX.search(prose), f"{html}: raw TeX left in the page"


class Formulas(HTMLParser):
    """Every <math> element: its alttext, its text, and the classes used inside it."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.found: list[dict] = []
        self.classes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "math":
            self.depth += 1
            self.found.append({"alttext": attrs.get("alttext"), "text": ""})
        if self.depth:
            self.classes.update((attrs.get("class") or "").split())

    def handle_endtag(self, tag):
        if tag == "math":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1]["text"] += data


def formulas_of(html_path):
    parser = Formulas()
    parser.feed(html_path.read_text())
    return parser


def test_chapter_formulas_are_mathml_with_a_spoken_form(site_dir):
    formulas = formulas_of(site_dir / "why-gradients-vanish" / "index.html").found
    assert len(formulas) > 50
    for formula in formulas:
        speech = formula["alttext"]
        assert speech, f"no spoken form for {formula['text']!r}"
        assert not re.search(r"[\\{}^_]", speech), f"TeX in the spoken form: {speech!r}"
        assert not re.search(r"\d\. \d|\d \.\d", speech), f"a split decimal: {speech!r}"
        assert "down tack" not in speech and "metric of" not in speech, speech


def test_decimals_and_powers_of_ten_are_spoken_whole(site_dir):
    spoken = {f["text"]: f["alttext"] for f in formulas_of(site_dir / "why-gradients-vanish" / "index.html").found}
    tens = [s for t, s in spoken.items() if "×10" in t.replace(" ", "")]
    assert tens and all(re.search(r"\d times 10 to the (negative )?\w+ power", s) for s in tens), tens[:3]


def test_every_class_temml_writes_is_styled(site_dir):
    css = (PROJECT / "docs" / "assets" / "stylesheets" / "math.css").read_text()
    # Formulas take the colour of the sentence around them (the accessibility test
    # relies on it to check contrast on sentences, not on every symbol).
    assert not re.search(r"(?<![-\w])color\s*:", css)
    used = set().union(*(formulas_of(p).classes for p in built_pages(site_dir)))
    assert used, "no typeset formulas found"
    unstyled = sorted(c for c in used if c != "mathcal" and f".{c}" not in css)  # mathcal: STIX's default script
    assert unstyled == []


def test_the_math_font_is_small_and_covers_every_character(site_dir):
    from fontTools.ttLib import TTFont

    path = site_dir / "assets" / "fonts" / "STIXTwoMath.woff2"
    assert path.stat().st_size < 60_000
    font = TTFont(path)
    assert "MATH" in font, "the MATH table (stretchy brackets, big operators) was dropped"
    cmap = font.getBestCmap()
    used = set().union(*({c for f in formulas_of(p).found for c in f["text"]} for p in built_pages(site_dir)))
    missing = sorted(c for c in used if not c.isspace() and ord(c) not in cmap)
    assert missing == []


def test_every_page_with_formulas_preloads_the_math_font(site_dir):
    """The font comes with the stylesheets; arriving with the first formula's layout, it
    restyled every formula after the page was up (overrides/main.html)."""
    preload = re.compile(r'<link rel="preload" href="([^"]+STIXTwoMath\.woff2)" as="font" type="font/woff2" crossorigin>')
    pages = [p for p in built_pages(site_dir) if "<math" in p.read_text()]
    assert len(pages) >= 10
    for page in pages:
        found = preload.findall(page.read_text())
        assert len(found) == 1, f"{page.relative_to(site_dir)}: no preload of the math font"
        assert (page.parent / found[0]).resolve() == (site_dir / "assets" / "fonts" / "STIXTwoMath.woff2").resolve()


@pytest.mark.browser
def test_every_character_of_a_formula_is_drawn_with_the_math_font(browser, served_site):
    """Chromium draws a one-letter <mi> in math italic (text-transform: math-auto), at
    another code point (h -> U+210E, x -> U+1D465), and a no-break space in \\text{} with
    the formula's font: the shipped font must hold them too, or each falls back to another
    font (a sans-serif h beside a serif F)."""
    page = browser.new_page()
    page.goto(served_site + "/fixing-vanishing-gradients/")
    page.wait_for_load_state("networkidle")
    page.evaluate(RENDER_ALL)  # long pages skip drawing what is off screen
    page.evaluate(OPEN_BOXES)
    page.evaluate("document.fonts.ready")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    tokens = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "math :is(mi, mo, mn, mtext)"})["nodeIds"]
    assert len(tokens) > 500
    fonts = collections.Counter()  # glyphs drawn, by font
    for node in tokens:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            fonts[font["familyName"]] += font["glyphCount"]
    page.close()
    assert set(fonts) == {"STIX Two Math"} and fonts["STIX Two Math"] > 500, fonts
