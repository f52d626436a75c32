"""Every page in real headless Chromium: no errors, nothing fetched from elsewhere, math rendered."""

import pytest

from conftest import site_pages

pytestmark = pytest.mark.browser


def wait_for_math(pg):
    """Wait until MathJax has typeset every arithmatex span on the page."""
    pg.wait_for_function(
        "() => { const n = document.querySelectorAll('.md-content .arithmatex').length;"
        " return n === 0 || document.querySelectorAll('.md-content .arithmatex mjx-container').length === n; }",
        timeout=15_000,
    )


def test_every_page_loads_cleanly_with_math_rendered(page, served_site, site_dir):
    paths = site_pages(site_dir)
    assert len(paths) >= 8
    for path in paths:
        page.goto(served_site + path)
        page.wait_for_load_state("networkidle")
        wait_for_math(page)
        assert page.locator(".md-content mjx-container merror").count() == 0, f"{path}: TeX error"
        assert page.locator("h1").count() >= 1, path
    assert page.problems == []


def test_math_and_quiz_work_after_following_a_link(page, served_site):
    page.goto(served_site + "/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="2 Why gradients vanish").first.click()
    page.wait_for_url("**/why-gradients-vanish/")
    page.wait_for_load_state("networkidle")
    wait_for_math(page)
    assert page.locator(".md-content mjx-container").count() > 5

    quiz = page.locator(".quiz").first
    quiz.scroll_into_view_if_needed()
    quiz.locator("input[data-correct]").check()  # answers are shuffled: find the right one
    quiz.get_by_role("button", name="Submit").click()
    assert "Correct" in quiz.inner_text()
    assert page.problems == []


def test_the_quiz_can_be_answered_with_the_keyboard_alone(page, served_site):
    page.goto(served_site + "/why-gradients-vanish/")
    page.wait_for_load_state("networkidle")
    quiz = page.locator(".quiz").first
    options = quiz.locator("input[type=radio]")
    options.first.focus()
    page.keyboard.press("Space")  # selects the first option (answers are shuffled) ...
    for _ in range(options.count()):  # ... and the arrow keys walk to the right one
        if quiz.locator("input[data-correct]").is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert quiz.locator("input[data-correct]").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Submit button
    assert "Correct" in page.locator(".quiz").first.inner_text()


def test_dark_mode_toggle_switches_the_palette(page, served_site):
    page.goto(served_site + "/")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^=__palette]").first.click()
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}


def test_search_finds_a_word_from_chapter_two(page, served_site):
    page.goto(served_site + "/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut to focus the search box
    page.keyboard.type("saturated", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    assert any("why-gradients-vanish" in link for link in links)
