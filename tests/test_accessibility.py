"""Accessibility and weight of every page, in a real browser.

axe-core (shipped inside the axe-playwright-python wheel, no download) checks every page
with all its rules in light mode, then switches it to dark mode with the reader's toggle
and runs the rules that colours can break; no serious or critical violation may remain.
Page weight is what a reader downloads on a phone (gzip, empty cache, lazy figures
included).
"""

import statistics

import pytest

from conftest import ON_JS_WALK, site_pages
from page_probes import RENDER_ALL

pytestmark = pytest.mark.browser

PAGE_BUDGET = 1.5 * 1024 * 1024
MEDIAN_BUDGET = 600 * 1024


# Colour contrast is by far the slowest rule (it inspects every element with text), and
# a formula is thousands of such elements (one per letter or sign) that inherit the colour
# of the sentence around them (math.css sets no colour; tests/test_math.py checks), so
# contrast is checked on the sentence, not on each symbol. Only colours change between
# the schemes: in dark mode only the colour rules run.
COLOUR = ["color-contrast", "link-in-text-block"]
RUNS = {
    "light": [({"exclude": [["math"]]}, {})],  # every rule; formulas are checked by tests/test_math.py
    "dark": [({"exclude": [["math"]]}, {"runOnly": {"type": "rule", "values": COLOUR}})],
}
SCHEMES = {"light": "default", "dark": "slate"}
EMPTY_SEARCH_INDEX = {"config": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"]}, "docs": []}

# Colours measured mid-fade would be neither scheme's: the theme fades link colours.
NO_TRANSITIONS = ("() => { const s = document.createElement('style'); s.textContent = "
                  "'*, *::before, *::after { transition: none !important; animation: none !important; }'; "
                  "document.head.append(s); }")


def serious_violations(page, scheme: str) -> list[str]:
    """axe's serious and critical findings on the page as it is now, in this scheme."""
    from axe_playwright_python.sync_playwright import Axe

    violations = [v for scope, options in RUNS[scheme]
                  for v in Axe().run(page, context=scope, options={"resultTypes": ["violations"], **options})
                  .response["violations"]]
    return [
        f"{scheme}: {v['id']} ({v['impact']}): {v['help']} -- {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def switch_scheme(page, scheme: str) -> None:
    """The reader's own toggle in the header; the choice is remembered for the next page."""
    if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != SCHEMES[scheme]:
        page.locator("label.md-header__button[for^=__palette]:visible").click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]


@pytest.mark.parametrize("share", [0, 1])
def test_no_serious_accessibility_violations_on_any_page(browser, served_site, site_dir, share):
    """Each page is loaded once and checked in the light scheme, then in the dark one.
    The slowest check of the suite, so every other page goes to each of the two shares,
    which the two test workers can run side by side."""
    context = browser.new_context(color_scheme="light", bypass_csp=True)  # axe is injected as a script
    # Not checked here, and a quarter of each page load's work: the search worker indexing
    # the whole site. It gets an empty index (the search box stays, and is checked).
    context.route("**/search/search_index.json", lambda route: route.fulfill(json=EMPTY_SEARCH_INDEX))
    page = context.new_page()
    problems = {}
    for path in site_pages(site_dir)[share::2]:
        page.goto(served_site + path)
        page.wait_for_load_state("networkidle")
        page.evaluate(RENDER_ALL)  # axe measures colours and positions of the whole page
        page.evaluate(NO_TRANSITIONS)
        found = []
        for scheme in ("light", "dark"):
            switch_scheme(page, scheme)
            found += serious_violations(page, scheme)
        switch_scheme(page, "light")
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


@ON_JS_WALK
def test_every_page_stays_within_its_weight_budget(site_visits):
    weights = {path: seen["bytes"] for path, seen in site_visits.items()}
    too_heavy = {path: f"{size / 1024:.0f} KB" for path, size in weights.items() if size > PAGE_BUDGET}
    assert too_heavy == {}
    assert statistics.median(weights.values()) < MEDIAN_BUDGET


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
