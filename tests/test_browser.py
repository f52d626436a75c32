"""Every page in real headless Chromium: no errors, nothing fetched from elsewhere, math drawn."""

import contextlib

import pytest

from conftest import ON_JS_WALK, ON_NO_JS_WALK
from page_probes import RENDER_ALL


pytestmark = pytest.mark.browser


@ON_JS_WALK
def test_every_page_loads_cleanly_with_math_drawn(site_visits):
    assert len(site_visits) >= 8
    for path, seen in site_visits.items():
        assert seen["problems"] == [], path
        assert seen["undrawn_math"] == [], f"{path}: formulas not drawn as MathML"
        assert seen["undrawn_math_in_open_boxes"] == [], f"{path}: formulas in an opened box not drawn"
        assert seen["headings"] >= 1, path


def test_math_and_quiz_work_after_following_a_link(page, served_site):
    page.goto(served_site + "/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="2 Why gradients vanish").first.click()
    page.wait_for_url("**/why-gradients-vanish/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".md-content .arithmatex math").count() > 5

    page.evaluate(RENDER_ALL)  # nothing moves under the clicks (page_probes.py)
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


@contextlib.contextmanager
def parsed_without_the_theme_bundle(browser, url, **context_options):
    """The page parsed with Material's bundle blocked: what the inline scripts did alone."""
    context = browser.new_context(**context_options)
    context.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    yield page
    context.close()


@pytest.mark.parametrize("scheme, expected", [("dark", "slate"), ("light", "default")])
def test_a_first_visit_starts_in_the_readers_scheme_before_the_theme_script_runs(
        browser, served_site, scheme, expected):
    """No white flash for a phone in dark mode: the inline palette script picks the scheme
    that matches the system, before the theme's bundle (blocked here) would."""
    with parsed_without_the_theme_bundle(browser, served_site + "/gradients-drive-learning/",
                                         color_scheme=scheme) as page:
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected


def test_scripts_swap_no_js_for_js_before_the_body_is_parsed(browser, served_site):
    """The swap restyles every element when the theme's bundle (blocked here) makes it at the
    end of a long page; made in the head, it restyles nothing."""
    with parsed_without_the_theme_bundle(browser, served_site + "/why-gradients-vanish/") as page:
        assert page.evaluate("document.documentElement.className.split(' ')") == ["js"]


def test_search_finds_a_word_from_chapter_two(page, served_site):
    page.goto(served_site + "/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut to focus the search box
    page.keyboard.type("saturated", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    assert any("why-gradients-vanish" in link for link in links)


@ON_NO_JS_WALK
def test_every_page_reads_without_javascript(site_visits_without_js):
    """Formulas drawn, quiz questions and options shown, no Submit button that cannot work,
    every figure with its caption."""
    for path, seen in site_visits_without_js.items():
        assert seen["undrawn_math"] == [], path
        quizzes = seen["quizzes"]["quizzes"]
        assert all(q["question"] and q["option"] for q in quizzes), path
        assert sum(q["buttons"] for q in quizzes) == 0, f"{path}: a Submit button that does nothing"
        assert seen["quizzes"]["notes"] == len(quizzes), path
        assert all(len(c.strip()) > 20 for c in seen["captions"]), path
        assert all(f["src"] for f in seen["figures"]), f"{path}: a figure that did not load"
    assert sum(len(seen["quizzes"]["quizzes"]) for seen in site_visits_without_js.values()) >= 20


def test_a_figure_in_a_folded_box_loads_when_the_box_is_opened(page, served_site):
    """Figures load lazily; one inside a closed box must still load once the reader opens it."""
    page.goto(served_site + "/gradients-drive-learning/")
    page.wait_for_load_state("networkidle")
    img = page.locator('details img[src$="gradient_descent_ill_conditioned.svg"]')
    assert not img.evaluate("i => i.complete && i.naturalWidth > 0"), "expected a folded, not yet loaded figure"
    img.evaluate("i => { for (let d = i.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }")
    img.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle(), timeout=10_000)


SKIPPED_BLOCKS = """() => [...document.querySelectorAll('.md-content .md-typeset > *')]
    .map((block, index) => [index, getComputedStyle(block).contentVisibility])
    .filter(([, visibility]) => visibility !== 'visible').map(([index]) => index)"""


def test_only_the_three_chapters_skip_their_far_blocks(browser, served_site):
    """long-page.css: each chapter skips blocks far from the screen, never its first twelve;
    no other page skips any (a short page gains nothing, and axe misjudged skipped blocks)."""
    page = browser.new_page()
    for path in ("/gradients-drive-learning/", "/why-gradients-vanish/", "/fixing-vanishing-gradients/"):
        page.goto(served_site + path)
        skipped = page.evaluate(SKIPPED_BLOCKS)
        assert len(skipped) > 50 and min(skipped) >= 12, path
    for path in ("/", "/teachers/", "/diagnose/", "/glossary/"):
        page.goto(served_site + path)
        assert page.evaluate(SKIPPED_BLOCKS) == [], path
    page.close()
