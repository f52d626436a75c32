"""hooks/folded.py and folded.js: what a reader cannot see at load waits as <noscript> text.

Formulas and code listings in closed boxes and quiz explanations were 2,100 of chapter 1's
5,000 elements at load, and every one of them cost a phone time."""

import sys

import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError

from conftest import PROJECT
from page_probes import RENDER_ALL

sys.path.insert(0, str(PROJECT / "hooks"))
import folded  # noqa: E402

MATH = '<math alttext="x"><mi>x</mi></math>'
LISTING = '<div class="highlight"><pre><span></span><code>x = 1\n</code></pre></div>'
KEPT = f'<noscript class="folded">{MATH}</noscript>'
# What a reader may meet on a page at load, at most (document.getElementsByTagName('*')).
ELEMENT_BUDGET = 3500


def test_a_closed_boxs_formulas_and_listings_are_folded_but_not_its_summary():
    page = (f'<details class="note"><summary>Deeper: {MATH}</summary><p>{MATH}</p>{LISTING}</details>'
            f'<p>{MATH}</p>')
    html, count = folded.fold(page, "page.md")
    assert count == 2
    assert html == (f'<details class="note"><summary>Deeper: {MATH}</summary><p>{KEPT}</p>'
                    f'<noscript class="folded">{LISTING}</noscript></details><p>{MATH}</p>')


def test_open_boxes_stay_but_a_closed_box_inside_one_is_folded():
    inner = f'<details class="example"><summary>s</summary><p>{MATH}</p></details>'
    page = f'<details class="note" open="open"><summary>s</summary><p>{MATH}</p>{inner}</details>'
    html, count = folded.fold(page, "page.md")
    assert count == 1 and html.count(KEPT) == 1 and html.index(KEPT) > html.index('class="example"')
    around = f'<details class="note"><summary>s</summary>{page}</details>'  # all hidden in a closed box
    assert folded.fold(around, "page.md")[1] == 2


def test_a_quiz_explanation_is_folded_but_not_its_question():
    page = (f'<div class="quiz"><div class="quiz-question"><p>{MATH}</p></div>'
            f'<section class="content hidden"><p>{MATH}</p></section></div><section><p>{MATH}</p></section>')
    html, count = folded.fold(page, "page.md")
    assert count == 1 and html.index(KEPT) > html.index("content hidden")


def test_a_formula_that_would_end_its_noscript_fails_the_build_naming_the_page():
    page = '<details><summary>s</summary><math><mtext>&lt;/noscript</mtext></math></details>'
    assert folded.fold(page, "page.md")[1] == 1  # escaped: harmless
    with pytest.raises(PluginError, match="chapter.md"):
        folded.fold('<details><summary>s</summary><math><mtext></noscript></mtext></math></details>',
                    "chapter.md")


def hidden_from_reader(element) -> bool:
    """Inside a closed box (not in its own summary) or a quiz explanation, by the tree."""
    for parent in element.parents:
        if parent.name == "section" and "content" in (parent.get("class") or []) and "hidden" in parent["class"]:
            return True
        if parent.name == "details" and not parent.has_attr("open"):
            summary = parent.find("summary", recursive=False)
            if summary is None or not any(d is element for d in summary.descendants):  # not ==: bs4 compares markup
                return True
    return False


@pytest.mark.parametrize("page", ["gradients-drive-learning", "why-gradients-vanish", "fixing-vanishing-gradients",
                                  "check-yourself"])
def test_exactly_the_formulas_a_reader_cannot_see_at_load_are_folded(site_dir, page):
    """Checked on the built page's tree (a parser reads <noscript> as markup, as a browser
    without JavaScript does), against the hook's scan of the text."""
    soup = BeautifulSoup((site_dir / page / "index.html").read_text(), "html.parser")
    article = soup.select_one("article")
    maths = article.find_all("math")
    wrong = [m.get("alttext") for m in maths if hidden_from_reader(m) != (m.parent.name == "noscript")]
    assert wrong == []
    assert sum(m.parent.name == "noscript" for m in maths) >= (5 if page == "check-yourself" else 50)


@pytest.mark.browser
def test_every_page_a_student_reads_meets_its_element_budget_at_load(site_visits):
    """The teachers' pages (the answer key has every answer open) are read on a desk or
    printed."""
    sizes = {path: seen["elements"] for path, seen in site_visits.items() if not path.startswith("/teachers/")}
    assert len(sizes) >= 15 and max(sizes.values()) <= ELEMENT_BUDGET, sizes


@pytest.mark.browser
def test_opening_a_box_answering_a_quiz_and_printing_put_the_formulas_in(page, served_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(served_site + "/gradients-drive-learning/")
    page.wait_for_load_state("networkidle")
    assert page.locator("details:not([open]) > :not(summary) math, .quiz section.content.hidden math").count() == 0
    page.evaluate(RENDER_ALL)  # nothing moves under the clicks (page_probes.py)
    box = page.locator("article details:not([open])", has=page.locator(".arithmatex > noscript.folded")).first
    box = box.element_handle()  # the locator would find the next closed box once this one opens
    waiting = len(box.query_selector_all("noscript.folded"))
    box.query_selector("summary").click()
    sizes = box.eval_on_selector_all(".arithmatex math", "ms => ms.map(m => {"
                                     " const r = m.getBoundingClientRect(); return Math.min(r.width, r.height); })")
    assert waiting >= 1 and len(sizes) >= waiting and min(sizes) > 2
    assert box.query_selector("noscript.folded") is None

    quiz = page.locator(".quiz", has=page.locator("section.content noscript.folded")).first
    quiz = page.locator("#" + quiz.get_attribute("id"))  # the same quiz once its formulas are in
    quiz.scroll_into_view_if_needed()
    quiz.locator("input[data-correct]").check()
    quiz.get_by_role("button", name="Submit").click()
    explanation = quiz.locator("section.content")
    assert explanation.locator("math").count() >= 1 and explanation.locator("noscript.folded").count() == 0
    assert explanation.locator("math").first.bounding_box()["width"] > 2

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("noscript.folded").count() == 0
    assert page.problems == []


@pytest.mark.browser
def test_without_javascript_a_closed_boxs_formulas_are_there_when_opened(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "/gradients-drive-learning/")
    box = page.locator("article details:not([open])", has=page.locator(".arithmatex")).first.element_handle()
    box.query_selector("summary").click()
    formula = box.query_selector(".arithmatex math")
    assert formula.is_visible() and formula.bounding_box()["width"] > 2
    context.close()
