"""A chapter prints cleanly: no site navigation, figures kept with captions, quiz answers
and folded boxes shown. Checked with Chromium's print media emulation and a real PDF."""

import pytest

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
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".quiz button"):
        assert not printed_chapter.locator(selector).first.is_visible(), selector
    assert printed_chapter.locator("h1").is_visible()
    assert printed_chapter.locator("figure img").first.is_visible()


def test_figures_stay_with_their_captions(printed_chapter):
    rules = printed_chapter.evaluate(
        "() => [...document.querySelectorAll('.md-typeset figure')].map(f =>"
        " [getComputedStyle(f).breakInside, getComputedStyle(f.querySelector('figcaption')).breakBefore])"
    )
    assert rules and all(rule == ["avoid", "avoid"] for rule in rules)


def test_quiz_answers_and_explanations_are_printed(printed_chapter):
    marks = printed_chapter.evaluate(
        "() => [...document.querySelectorAll('.quiz input[data-correct] + label')]"
        ".map(l => getComputedStyle(l, '::after').content)"
    )
    assert marks and all("correct answer" in mark for mark in marks)
    assert printed_chapter.locator(".quiz .content").first.is_visible()


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
