"""Each chapter's core path fits an afternoon: <= 20 minutes of reading, <= 60 formulas.

Measured on the built page, outside folded boxes, tables, code and quizzes (tools/reading.py).
"""

import pytest

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
