"""How long is a chapter's core path? Words and formulas a reader meets outside the folds.

The core path is what a reader sees without opening anything: prose and figure captions,
but not folded "deeper" boxes (<details>), tables, code, quizzes or the page's own
controls. Reading time is those words at 200 words a minute; formulas are counted once
each (a typeset formula is an element with class "arithmatex"), whatever their length.

    python tools/reading.py site/why-gradients-vanish/index.html
"""

import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

WORDS_PER_MINUTE = 200
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

    @property
    def minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) of every open element
        self.in_article = 0
        self.words = 0
        self.formulas = 0

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article" and "md-content__inner" in classes:
            self.in_article += 1
        formula = "arithmatex" in classes
        if formula and self.in_article and not self._skipping():
            self.formulas += 1
        skipped = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES) or formula or any(
            c.startswith("quiz-") for c in classes)
        self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:  # tolerate unclosed elements
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag == "article" and self.in_article:
            self.in_article -= 1

    def handle_data(self, data):
        if self.in_article and not self._skipping():
            self.words += sum(1 for w in data.split() if any(ch.isalnum() for ch in w))


def core_path(html: str) -> CorePath:
    """Words and formulas on the core path of one built page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return CorePath(reader.words, reader.formulas)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        cp = core_path(Path(arg).read_text(encoding="utf-8"))
        print(f"{arg}: {cp.words} words, {cp.minutes:.1f} min, {cp.formulas} formulas")
