"""A chapter prints cleanly: no site navigation and no Listen bar, figures kept with their
captions, folded boxes open, and quizzes as questions without their answers (the answer
key belongs to the teacher's material). Checked with Chromium's print media emulation
and a real PDF."""

import pytest

from page_probes import RENDER_ALL

pytestmark = pytest.mark.browser


@pytest.fixture
def printed_chapter(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "/why-gradients-vanish/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    yield page
    page.close()


def test_navigation_is_hidden_and_content_remains(printed_chapter):
    assert printed_chapter.locator(".listen-control").count() == 1  # on screen the chapter has one
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".quiz button", ".listen-control"):
        assert not printed_chapter.locator(selector).first.is_visible(), selector
    assert printed_chapter.locator("h1").is_visible()
    assert printed_chapter.locator("figure img").first.is_visible()


def test_figures_stay_with_their_captions(printed_chapter):
    rules = printed_chapter.evaluate(
        "() => [...document.querySelectorAll('.md-typeset figure')].map(f =>"
        " [getComputedStyle(f).breakInside, getComputedStyle(f.querySelector('figcaption')).breakBefore])"
    )
    assert rules and all(rule == ["avoid", "avoid"] for rule in rules)


def test_quizzes_print_as_questions_without_their_answers(browser, served_site):
    """Even after the reader has answered on screen (one right, one wrong), the printout
    shows every question and option, and no verdict, explanation or marked answer."""
    page = browser.new_page()
    page.goto(served_site + "/gradients-drive-learning/")
    page.wait_for_load_state("networkidle")
    page.evaluate(RENDER_ALL)  # nothing moves under the clicks (page_probes.py)
    quizzes = page.locator(".quiz")
    for quiz, option in ((quizzes.nth(0), "input[data-correct]"), (quizzes.nth(1), "input:not([data-correct])")):
        quiz.locator(option).first.check()
        quiz.get_by_role("button", name="Submit").click()
        quiz.locator(".quiz-feedback-item").wait_for()
    assert page.locator(".quiz .correct label").count() >= 2  # marked on screen
    page.emulate_media(media="print")

    assert page.locator(".quiz .quiz-question").first.is_visible()
    assert page.locator(".quiz fieldset label").first.is_visible()
    for selector in (".quiz .content", ".quiz .quiz-feedback", ".quiz-results", ".quiz-intro"):
        assert page.locator(selector).evaluate_all("els => els.every(e => e.offsetParent === null)"), selector
    looks = page.evaluate("""() => [...document.querySelectorAll('.quiz fieldset label')].map(l => {
        const s = getComputedStyle(l);
        return [s.color, s.fontWeight, s.textDecorationLine, getComputedStyle(l, '::after').content];
    })""")
    page.close()
    looks = {tuple(look) for look in looks}
    assert len(looks) == 1, looks  # the right, the wrong and the untouched answers look alike
    look = looks.pop()
    assert look[2] == "none" and look[3] in ("none", "normal")


def test_folded_boxes_open_for_printing_and_a_pdf_is_produced(printed_chapter):
    folded = printed_chapter.locator("details:not([open])")
    assert folded.count() > 0
    printed_chapter.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert printed_chapter.locator("details:not([open])").count() == 0
    printed_chapter.evaluate("window.dispatchEvent(new Event('afterprint'))")
    pdf = printed_chapter.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000


def test_the_404_page_offers_a_way_back(site_dir):
    page = (site_dir / "404.html").read_text()
    assert "This page does not exist" in page
    for target in ("gradients-drive-learning/", "why-gradients-vanish/", "fixing-vanishing-gradients/"):
        assert target in page
