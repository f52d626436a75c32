"""Each chapter's core path fits an afternoon: <= 20 minutes of reading, <= 60 formulas.

Measured on the built page, outside folded boxes, tables, code and quizzes (tools/reading.py).
"""

import pytest

import reading
from reading import core_path

CHAPTERS = ("gradients-drive-learning", "why-gradients-vanish", "fixing-vanishing-gradients")
MAX_MINUTES = 20
MAX_FORMULAS = 60


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_core_path_is_short_enough(site_dir, chapter):
    cp = core_path((site_dir / chapter / "index.html").read_text())
    assert cp.minutes <= MAX_MINUTES, f"{chapter}: {cp.words} words = {cp.minutes:.1f} min"
    assert cp.formulas <= MAX_FORMULAS, f"{chapter}: {cp.formulas} formulas on the core path"


def test_the_measure_skips_folds_tables_code_and_quizzes():
    html = """<article class="md-content__inner md-typeset">
      <p>One two three <span class="arithmatex"><math><mi>x</mi></math></span> four.</p>
      <details><summary>Deeper</summary><p>hidden words <span class="arithmatex">y</span></p></details>
      <table><tr><td>cell words</td></tr></table><pre><code>code words</code></pre>
      <div class="quiz"><p>quiz words</p></div>
      <figure><img alt="alt words are not read"><figcaption>Caption words here.</figcaption></figure>
    </article><footer>footer words</footer>"""
    cp = core_path(html)
    assert (cp.words, cp.formulas) == (7, 1)


def test_the_study_time_adds_figures_tables_formulas_and_the_quiz():
    html = """<article class="md-content__inner md-typeset">
      <p>One two three <span class="arithmatex"><math><mi>x</mi></math></span> four.</p>
      <details><summary>Deeper</summary><figure><img></figure><table><tr><td>1</td></tr></table>
        <p>hidden words <span class="arithmatex">y</span></p></details>
      <table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
      <div class="quiz-intro"><p>Results are saved in your browser.</p></div>
      <div class="quiz"><a class="quiz-header-link">#</a><div class="quiz-question"><p>Which one?</p></div>
        <form><fieldset><div><input type="radio"><label>Option <span class="arithmatex">z</span></label></div>
        </fieldset><button>Submit</button></form>
        <section class="content"><p>The answer is this.</p></section></div>
      <figure><img alt="alt words are not read"><figcaption>Caption words here.</figcaption></figure>
    </article>"""
    cp = core_path(html)
    assert (cp.words, cp.formulas) == (7, 1)  # the core path is unchanged
    assert (cp.figures, cp.table_cells, cp.questions) == (1, 4, 1)  # the folded ones do not count
    assert cp.quiz_words == 2 + 2 + 4  # "Which one?", "Option z" (a formula is a word), "The answer is this."
    seconds = ((7 + 8) / reading.WORDS_PER_MINUTE * 60 + 1 * reading.SECONDS_PER_FORMULA
               + 1 * reading.SECONDS_PER_FIGURE + 4 * reading.SECONDS_PER_TABLE_CELL + 1 * reading.SECONDS_PER_QUESTION)
    assert cp.study_minutes == pytest.approx(seconds / 60)
