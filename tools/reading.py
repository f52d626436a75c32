"""How long is a chapter? Its core path, and the time to work through it.

The core path is what a reader sees without opening anything: prose and figure captions,
but not folded "deeper" boxes (<details>), tables, code, quizzes or the page's own
controls. Reading time is those words at 200 words a minute; formulas are counted once
each (a typeset formula is an element with class "arithmatex"), whatever their length.

Working through a chapter takes longer than reading its words. `study_minutes` is a
stated, checkable estimate of a student's session with everything outside the folds:
the core path's words at 200 words a minute, plus
- SECONDS_PER_FORMULA for each formula on the core path,
- SECONDS_PER_FIGURE for each figure (look at it, find what its caption points out),
- SECONDS_PER_TABLE_CELL for each table cell (read a row, check a number by hand),
- SECONDS_PER_QUESTION for each quiz question (think, choose, submit), plus the
  question's words (options and explanation, a formula counted as one word) at 200 words
  a minute.

    python tools/reading.py site/why-gradients-vanish/index.html
"""

import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

WORDS_PER_MINUTE = 200
SECONDS_PER_FORMULA = 5
SECONDS_PER_FIGURE = 60
SECONDS_PER_TABLE_CELL = 5
SECONDS_PER_QUESTION = 60
# Subtrees the core path does not include (by tag, or by a class on the element).
SKIPPED_TAGS = {"details", "table", "pre", "code", "script", "style", "nav", "noscript", "svg", "button",
                "select", "template"}
SKIPPED_CLASSES = {"quiz", "quiz-intro", "quiz-results", "headerlink", "md-source-file", "listen-control",
                   "quiz-progress-sidebar", "md-content__button"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class CorePath:
    words: int
    formulas: int
    figures: int = 0  # outside folds
    table_cells: int = 0  # outside folds
    questions: int = 0  # quiz questions
    quiz_words: int = 0  # their text: question, options, explanation (a formula counts as one word)

    @property
    def minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE

    @property
    def study_minutes(self) -> float:
        """The core path plus figures, tables, formulas and the quiz (see the module docstring)."""
        seconds = (self.formulas * SECONDS_PER_FORMULA + self.figures * SECONDS_PER_FIGURE
                   + self.table_cells * SECONDS_PER_TABLE_CELL + self.questions * SECONDS_PER_QUESTION)
        return self.minutes + self.quiz_words / WORDS_PER_MINUTE + seconds / 60


def _counts_words(data: str) -> int:
    return sum(1 for w in data.split() if any(ch.isalnum() for ch in w))


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        # Every open element: (tag, skipped from the core path, skipped for a reason other
        # than being part of a quiz, opens a fold, opens a quiz question).
        self.stack: list[tuple[str, bool, bool, bool, bool]] = []
        self.in_article = 0
        self.counts = CorePath(0, 0)

    def _any(self, field: int) -> bool:
        return any(entry[field] for entry in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article" and "md-content__inner" in classes:
            self.in_article += 1
        formula = "arithmatex" in classes
        fold, quiz = tag == "details", "quiz" in classes
        if self.in_article and not self._any(3) and not fold:  # outside folds
            c = self.counts
            if formula and not self._any(1):
                c.formulas += 1
            elif formula and self._any(4) and not self._any(2):
                c.quiz_words += 1
            c.figures += tag == "figure"
            c.table_cells += tag in ("td", "th")
            c.questions += quiz
        quiz_class = any(x == "quiz" or x.startswith("quiz-") for x in classes)
        other = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES - {"quiz"}) or formula
        skipped = other or quiz_class
        self.stack.append((tag, skipped, other and not quiz, fold, quiz))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:  # tolerate unclosed elements
            open_tag = self.stack.pop()[0]
            if open_tag == tag:
                break
        if tag == "article" and self.in_article:
            self.in_article -= 1

    def handle_data(self, data):
        if not self.in_article or self._any(3):
            return
        if not self._any(1):
            self.counts.words += _counts_words(data)
        elif self._any(4) and not self._any(2):
            self.counts.quiz_words += _counts_words(data)


def core_path(html: str) -> CorePath:
    """Words and formulas on the core path of one built page (and what study_minutes needs)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.counts


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        cp = core_path(Path(arg).read_text(encoding="utf-8"))
        print(f"{arg}: {cp.words} words, {cp.minutes:.1f} min, {cp.formulas} formulas; "
              f"study {cp.study_minutes:.1f} min ({cp.figures} figures, {cp.table_cells} table cells, "
              f"{cp.questions} questions, {cp.quiz_words} quiz words)")
