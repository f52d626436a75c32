"""Phone-first (390 px): nothing in the article is cut off without a visible way to reach it.

Every page is loaded in a 390 px wide touch-screen browser, its folded boxes opened (a
reader may open any of them). An element may stick out of the screen only inside a box
that scrolls sideways and shows that it does (the scroll shadows of extra.css: a
gradient background that appears at the edge with more to see). Content that is clipped
by a box that does not scroll, or that makes the whole page wider than the screen, fails.
"""

import pytest

from conftest import RENDER_ALL_ON_LOAD, site_pages

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Returns a list of problems, one per (verdict, element kind), e.g.
# "scrolls without a hint in div.md-typeset__scrollwrap <- table (right edge 534 px)".
FIND_OVERFLOW = """
() => {
  for (const box of document.querySelectorAll("article details")) box.open = true;
  const width = document.documentElement.clientWidth;
  const article = document.querySelector("article.md-content__inner");
  const scrolls = (style) => style.overflowX === "auto" || style.overflowX === "scroll";
  const clips = (style) => scrolls(style) || style.overflowX === "hidden" || style.overflowX === "clip";
  const outside = (rect) => rect.right > width + 1 || rect.left < -1;
  const visuallyHidden = (el) => {  // screen-reader-only text, e.g. assistive MathML
    for (let e = el; e && e !== article; e = e.parentElement) {
      const s = getComputedStyle(e);
      if ((s.clip && s.clip !== "auto") || (s.clipPath && s.clipPath !== "none") || s.visibility === "hidden") return true;
    }
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() +
    (typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\\s+/).join(".") : "");
  const problems = new Map();
  for (const el of article.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || !outside(rect) || visuallyHidden(el)) continue;
    let box = el.parentElement;
    while (box && box !== document.body && !clips(getComputedStyle(box))) box = box.parentElement;
    let verdict;
    if (!box || box === document.body) verdict = "makes the page wider than the screen";
    else if (!scrolls(getComputedStyle(box))) verdict = "is cut off by " + name(box);
    else if (outside(box.getBoundingClientRect())) continue;  // the scrolling box is itself checked
    else if (!getComputedStyle(box).backgroundImage.includes("gradient")) verdict = "scrolls without a hint in " + name(box);
    else continue;
    const key = `${verdict} <- ${name(el)}`;
    if (!problems.has(key)) problems.set(key, `${key} (right edge ${Math.round(rect.right)} px)`);
  }
  return [...problems.values()];
}
"""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    context.add_init_script(RENDER_ALL_ON_LOAD)  # measure every block, not only the first screen
    yield context.new_page()
    context.close()


def test_nothing_is_cut_off_at_390_px(phone, served_site, site_dir):
    problems = {}
    for path in site_pages(site_dir):
        phone.goto(served_site + path)
        phone.wait_for_load_state("networkidle")
        found = phone.evaluate(FIND_OVERFLOW)
        if found:
            problems[path] = found[:5]
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
