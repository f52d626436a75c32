"""Quiz mechanics on every page with a quiz, in a real browser: answers shuffled, Submit
with nothing chosen scores nothing, touch targets of at least 24 px, and verdicts that
stay readable (4.5:1) in both colour schemes once answers are submitted.

The fairness of the quizzes' content (lengths, places, explanations) is checked on their
sources in test_quiz_fairness.py.
"""

import pytest
from playwright.sync_api import expect

from conftest import visit_all
from page_probes import RENDER_ALL, axe_in_both_schemes
from test_quiz_fairness import pages_with_quizzes

pytestmark = pytest.mark.browser


def quiz_paths():
    return ["/" + name.removesuffix(".md").removesuffix("index") + "/" for name in pages_with_quizzes()]


def open_page(browser, url, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(RENDER_ALL)  # nothing moves under the clicks (page_probes.py)
    return context, page


def test_every_quiz_page_loads_our_quiz_additions(site_dir):
    for path in quiz_paths():
        html = (site_dir / path.strip("/") / "index.html").read_text()
        assert "assets/javascripts/quiz.js" in html and "assets/stylesheets/quiz.css" in html, path
        assert html.count('data-shuffle-answers="true"') == html.count('class="quiz"'), path
    home = (site_dir / "index.html").read_text()
    assert "quiz.js" not in home and "quiz.css" not in home


def test_answers_are_shuffled_before_their_quiz_comes_on_screen(browser, served_site):
    """With Math.random pinned to 0, a Fisher-Yates shuffle moves every answer: the options
    no longer appear in their source order (their values are source indices). The page
    shuffles a quiz at a time (quiz.js), so the load does not restyle them all at once:
    a quiz as it comes within a screen of the reader, and all of them one by one once the
    page is idle, without any scrolling."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script("Math.random = () => 0;")
    page = context.new_page()
    order = "f => [...f.querySelectorAll('input[name=answer]')].map(i => Number(i.value))"
    page.goto(served_site + "/gradients-drive-learning/")
    expect(page.locator(".quiz[data-shuffle-pending]")).to_have_count(0)
    orders = page.evaluate(f"[...document.querySelectorAll('.quiz fieldset')].map({order})")
    assert page.evaluate("window.scrollY") == 0
    context.close()
    assert len(orders) >= 5 and all(order != sorted(order) for order in orders), orders


def test_submit_with_nothing_chosen_neither_scores_nor_locks(browser, served_site):
    context, page = open_page(browser, served_site + "/gradients-drive-learning/")
    quiz = page.locator(".quiz").first
    submit = quiz.get_by_role("button", name="Submit")
    submit.click()
    hint = quiz.get_by_role("status")
    hint.wait_for()
    assert "Choose an answer" in hint.inner_text()
    assert quiz.locator(".quiz-feedback").is_hidden()
    assert quiz.locator("section.content").is_hidden()  # no explanation, so nothing given away
    assert quiz.locator("input[name=answer]:disabled").count() == 0
    assert submit.is_visible() and submit.is_enabled()
    progress = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('quiz_progress_'))"
                             ".map(k => localStorage.getItem(k))")
    assert all(stored in ("{}", None) for stored in progress), progress
    assert page.locator("#quiz-progress-sidebar .quiz-progress-answered").inner_text() == "0"

    page.keyboard.press("Enter")  # the focus is back on an answer: Enter submits, still nothing chosen
    assert quiz.locator(".quiz-feedback").is_hidden()

    quiz.locator("input[data-correct]").first.check()
    assert hint.count() == 0  # the hint goes once an answer is chosen
    submit.click()
    quiz.locator(".quiz-feedback-item.correct").wait_for()
    assert page.locator("#quiz-progress-sidebar .quiz-progress-answered").inner_text() == "1"
    context.close()


@pytest.mark.parametrize("path", quiz_paths())
def test_answer_buttons_are_at_least_24_px_on_a_touch_screen(browser, served_site, path):
    context, page = open_page(browser, served_site + path, viewport={"width": 390, "height": 844},
                              has_touch=True, is_mobile=True)
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    sizes = page.evaluate("[...document.querySelectorAll('.quiz input[name=answer]')]"
                          ".map(i => { const r = i.getBoundingClientRect(); return [r.width, r.height]; })")
    context.close()
    assert sizes and min(min(s) for s in sizes) >= 24, sizes


# Every quiz answered, alternately wrong and right; returns (verdicts shown, quizzes).
ANSWER_EVERY_QUIZ = """() => {
  const forms = document.querySelectorAll('.quiz form');
  forms.forEach((form, i) => {
    form.querySelector(i % 2 ? 'input[data-correct]' : 'input[name=answer]:not([data-correct])').checked = true;
    form.requestSubmit();
  });
  return [document.querySelectorAll('.quiz-feedback-item').length, forms.length];
}"""
# Beside the final score, one copy in each colour the score can take.
EVERY_SCORE_COLOUR = """() => {
  const value = document.querySelector('.quiz-results-score-value');
  for (const score of ['excellent', 'good', 'average', 'poor', 'fail']) {
    const copy = value.cloneNode(true);
    copy.className = 'quiz-results-score-value quiz-results-score-' + score;
    value.after(copy);
  }
}"""
QUIZZES = {"include": [[".quiz"], [".quiz-results"]]}
CONTRAST = {"runOnly": ["color-contrast"]}


def test_verdicts_and_marked_answers_keep_their_contrast(browser, served_site):
    """Answer every question on every quiz page (alternately right and wrong), show every
    colour the final score can take, then run axe's contrast check on the quizzes in the
    light and in the dark colour scheme."""
    probes = {"drawn_whole": RENDER_ALL, "answered": ANSWER_EVERY_QUIZ, "scores": EVERY_SCORE_COLOUR,
              **axe_in_both_schemes(QUIZZES, CONTRAST, CONTRAST)}
    visits = dict(visit_all(browser, [served_site + path for path in quiz_paths()], probes))
    for url, seen in visits.items():
        verdicts, quizzes = seen["answered"]
        assert verdicts == quizzes > 0 and seen["dark_scheme"] == "slate", url
    found = {url: seen["axe_light"] + seen["axe_dark"] for url, seen in visits.items()}
    assert {url: problems for url, problems in found.items() if problems} == {}
