"""Phone-first (390 px): nothing in the article is cut off without a visible way to reach it.

Every page is loaded in a 390 px wide touch-screen browser, its folded boxes opened (a
reader may open any of them). An element may stick out of the screen only inside a box
that scrolls sideways and shows that it does (the scroll shadows of extra.css: a
gradient background that appears at the edge with more to see). Content that is clipped
by a box that does not scroll, or that makes the whole page wider than the screen, fails.
"""

import pytest

from conftest import ON_JS_WALK
from page_probes import FIND_OVERFLOW, PHONE, RENDER_ALL_ON_LOAD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(**PHONE)
    context.add_init_script(RENDER_ALL_ON_LOAD)  # measure every block, not only the first screen
    yield context.new_page()
    context.close()


@ON_JS_WALK
def test_nothing_is_cut_off_at_390_px(site_visits):
    problems = {path: seen["overflow"][:5] for path, seen in site_visits.items() if seen["overflow"]}
    assert problems == {}


def test_the_check_catches_a_wide_element_without_a_hint(phone, served_site):
    phone.goto(served_site + "/gradients-drive-learning/")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate(FIND_OVERFLOW) == []
    phone.evaluate("""() => {
      const wide = document.createElement("p");
      wide.style.width = "600px";
      wide.textContent = "wide";
      document.querySelector("article.md-content__inner").append(wide);
      const box = document.createElement("div");
      box.style.overflowX = "auto";
      const inner = document.createElement("p");
      inner.style.width = "600px";
      inner.textContent = "inside a plain scrolling box";
      box.append(inner);
      document.querySelector("article.md-content__inner").append(box);
    }""")
    found = phone.evaluate(FIND_OVERFLOW)
    assert any(p.startswith("makes the page wider") or p.startswith("is cut off") for p in found), found
    assert any(p.startswith("scrolls without a hint in div <- p") for p in found), found


def test_wide_tables_and_formulas_scroll_with_a_visible_hint(phone, served_site):
    """Chapter 3's "The fixes compared" keeps all its columns: its box scrolls, and the
    right edge shows a shadow until the reader scrolls to the end."""
    phone.goto(served_site + "/fixing-vanishing-gradients/")
    phone.wait_for_load_state("networkidle")
    box = phone.locator(".md-typeset__scrollwrap", has_text="What it costs")
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, getComputedStyle(b).overflowX]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto"
    last_header = box.locator("th").last
    assert last_header.evaluate("(th, b) => th.getBoundingClientRect().right > b.getBoundingClientRect().right",
                                box.element_handle())
    box.evaluate("b => b.scrollTo({left: b.scrollWidth})")
    assert last_header.evaluate("(th, b) => th.getBoundingClientRect().right <= b.getBoundingClientRect().right + 1",
                                box.element_handle())
    for selector in ("div.arithmatex", ".md-typeset__scrollwrap"):
        images = phone.evaluate(f"[...document.querySelectorAll('article {selector}')].map(e => getComputedStyle(e).backgroundImage)")
        assert images and all(image.count("gradient") == 4 for image in images), selector


def test_the_results_table_reflows_into_cards_on_a_phone(phone, served_site):
    phone.goto(served_site + "/check-yourself/")
    phone.wait_for_load_state("networkidle")
    cells = phone.locator(".results-table td")
    assert cells.count() >= 30
    assert cells.first.evaluate("td => getComputedStyle(td).display") == "block"
    labels = phone.evaluate("[...document.querySelectorAll('.results-table tr')].slice(1, 3)"
                            ".map(tr => [...tr.cells].map(td => getComputedStyle(td, '::before').content))")
    assert labels == [["none", '"Experiment: "', '"Result: "']] * 2


def test_a_formula_in_a_box_keeps_off_the_box_edge_and_quiz_boxes_show_in_the_dark(browser, served_site):
    """On phones Material widens display formulas into the page margin; inside a Deeper box
    that painted the formula's background over the box's coloured left edge. And the quiz
    plugin's black question border vanished on the dark background."""
    context = browser.new_context(**PHONE, color_scheme="dark")
    page = context.new_page()
    page.goto(served_site + "/fixing-vanishing-gradients/")
    page.wait_for_load_state("networkidle")
    box = page.locator("details", has_text="the LSTM's equations").first
    box.locator("summary").click()
    formula = box.locator("div.arithmatex").first
    inside = formula.evaluate("""(f) => {
      const box = f.closest('details'), edge = parseFloat(getComputedStyle(box).borderLeftWidth);
      return f.getBoundingClientRect().left >= box.getBoundingClientRect().left + edge - 0.5;
    }""")
    border = page.locator(".quiz").first.evaluate("q => getComputedStyle(q).borderTopColor")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    assert inside, "the formula's background covers the box's edge"
    assert border not in ("rgb(0, 0, 0)", background), border
