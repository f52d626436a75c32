"""Accessibility and weight of every page, in a real browser.

axe-core checks every page on a phone with every box open, with all its rules in light
mode, then switches it to dark mode with the reader's toggle and runs the rules that
colours can break (page_probes.py); a chapter is also checked on a wide screen. No
serious or critical violation may remain.
Page weight is what a reader downloads on a phone (gzip, empty cache, lazy figures
included).
"""

import re
import statistics

import pytest

from conftest import ON_JS_WALK
from harness import READER_LOADS, visit
from page_probes import COLOUR_RULES, PAGE_WITHOUT_FORMULAS, RENDER_ALL, axe_in_both_schemes

pytestmark = pytest.mark.browser

PAGE_BUDGET = 1.5 * 1024 * 1024
MEDIAN_BUDGET = 600 * 1024


@ON_JS_WALK
def test_no_serious_accessibility_violations_on_any_page(site_visits):
    """axe-core's findings on every page of the walk, on a phone with every box open, in
    the light scheme and then in the dark one (conftest.py's `site_visits`)."""
    assert {path: seen["dark_scheme"] for path, seen in site_visits.items()} == dict.fromkeys(site_visits, "slate")
    problems = {path: seen["axe_light"] + seen["axe_dark"] for path, seen in site_visits.items()}
    assert {path: found for path, found in problems.items() if found} == {}


def test_no_serious_accessibility_violations_on_a_wide_screen(browser, served_site):
    """What only a wide screen shows (the navigation and contents sidebars), checked on a
    chapter in both schemes; the walk checks every page on a phone."""
    probes = {"drawn_whole": RENDER_ALL,  # axe measures colours and positions of the whole page
              "sidebar": "() => document.querySelector('.md-sidebar--secondary .md-nav__link').checkVisibility()",
              **axe_in_both_schemes(PAGE_WITHOUT_FORMULAS, {}, COLOUR_RULES)}
    seen = visit(browser, served_site + "/why-gradients-vanish/", probes, viewport={"width": 1280, "height": 800})
    assert seen["sidebar"] and seen["dark_scheme"] == "slate"
    assert seen["axe_light"] + seen["axe_dark"] == []


@ON_JS_WALK
def test_every_page_stays_within_its_weight_budget(site_visits):
    weights = {path: seen["bytes"] for path, seen in site_visits.items()}
    too_heavy = {path: f"{size / 1024:.0f} KB" for path, size in weights.items() if size > PAGE_BUDGET}
    assert too_heavy == {}
    assert statistics.median(weights.values()) < MEDIAN_BUDGET


def test_page_weight_counts_every_figure_a_reader_can_load(browser, served_site, site_dir):
    """Lazy figures too, and those in folded boxes (harness.page_weight loads what `visit` records)."""
    html = (site_dir / "why-gradients-vanish" / "index.html").read_text()
    figures = {src.rsplit("/", 1)[1] for src in re.findall(r'<img\b[^>]*src="([^"]*figures/[^"]+)"', html)}
    seen = visit(browser, served_site + "/why-gradients-vanish/", READER_LOADS)
    assert len(figures) > 5 and figures <= {url.rsplit("/", 1)[1] for url in seen["urls"]}


def test_quiz_feedback_is_announced_to_screen_readers(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "/why-gradients-vanish/")
    page.wait_for_load_state("networkidle")
    page.evaluate(RENDER_ALL)  # nothing moves under the clicks (page_probes.py)
    quiz = page.locator(".quiz").first
    assert quiz.locator("[aria-live]").count() >= 1, "feedback region must be a live region"
    quiz.locator("input[type=radio]").nth(1).check()
    quiz.get_by_role("button", name="Submit").click()
    live = quiz.locator("[aria-live]").first
    assert live.inner_text().strip() != ""
    page.close()


def test_figures_stay_readable_in_dark_mode(browser, served_site):
    """Figures are drawn in black on white: in dark mode they keep a white card behind them."""
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(served_site + "/why-gradients-vanish/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    backgrounds = page.evaluate(
        "() => [...document.querySelectorAll('.md-typeset figure img')].map(i => getComputedStyle(i).backgroundColor)"
    )
    context.close()
    assert backgrounds and set(backgrounds) == {"rgb(255, 255, 255)"}
