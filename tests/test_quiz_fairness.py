"""Fair quizzes: the right answer is given away by neither its length, nor its place, nor
the first word of its explanation. Checked on the Markdown source of every page's quizzes.

The rules (every page's quizzes, every lane's, must satisfy them):

1. **Length.** In at most 40% of a page's questions is the correct option the longest
   one: at least as long, as the reader sees it, as every wrong option (a tie counts). Students learn
   quickly that "the longest answer is the right one"; wrong options must be as
   plausible and as long as the right one. A length is counted as the reader sees the
   option: a TeX command such as `\\sigma` is one character, and `$`, braces, spacing
   commands and Markdown marks count nothing.
2. **Place.** The correct option sits in the same place (first, second, ...) in at most
   half of a page's questions. Answers are shuffled on screen (mkdocs-quiz's
   `shuffle_answers`), but a printed page and a page read without JavaScript show the
   source order.
3. **No verdict in the explanation.** No explanation opens with "Right", "Correct",
   "Wrong", "Incorrect", "Yes" or "No": the plugin shows the verdict itself, and "Right:"
   under an "Incorrect answer" box contradicts it. Open with the substance ("The answer
   is ...").
4. **No places in the explanation.** No explanation names an option by its place ("the
   first option", "option B", "the last answer"): the reader sees the options shuffled.
5. **Shape.** Every question has at least three options and at least one correct one.
"""

import re
from dataclasses import dataclass

import pytest

from conftest import PROJECT

DOCS = PROJECT / "docs"
MAX_LONGEST_SHARE = 0.4
MAX_SAME_PLACE_SHARE = 0.5
VERDICT = re.compile(r"^\W*(right|correct|wrong|incorrect|yes|no)\b", re.I)
PLACE = re.compile(r"\b(first|second|third|fourth|last)\s+(option|answer|choice)\b|\b(option|answer|choice)\s+[A-D1-4]\b",
                   re.I)
OPTION = re.compile(r"^- \[([ xX])\] (.*)$")

# Pages whose quizzes another lane is rewriting (issue 13): the test is expected to fail
# there until that lane's branch is merged. strict=True makes it fail loudly once they
# pass, so that the entry is removed at the merge.
PENDING: dict[str, str] = {}


@dataclass
class Question:
    text: str
    options: list[tuple[bool, str]]
    explanation: str

    @property
    def correct(self) -> list[int]:
        return [i for i, (right, _) in enumerate(self.options) if right]


def quizzes(markdown: str) -> list[Question]:
    """Every <quiz> of a page: its question, its options (correct?, text), its explanation."""
    questions = []
    for body in re.findall(r"<quiz>(.*?)</quiz>", markdown, re.S):
        lines = body.strip("\n").splitlines()
        first = next(i for i, line in enumerate(lines) if OPTION.match(line))
        end = first
        while end < len(lines) and OPTION.match(lines[end]):
            end += 1
        options = [(m.group(1) != " ", m.group(2)) for m in map(OPTION.match, lines[first:end])]
        questions.append(Question(" ".join(lines[:first]), options, "\n".join(lines[end:]).strip()))
    return questions


def seen_length(option: str) -> int:
    """The option's length as the reader sees it (TeX commands one character each)."""
    text = re.sub(r"\\[,;:! ]|\\q?quad", "", option)  # spacing commands
    text = re.sub(r"\\(left|right|big|Big|bigl|bigr|Bigl|Bigr)\b", "", text)
    text = re.sub(r"\\[a-zA-Z]+", "x", text)
    text = re.sub(r"[${}^_*`]", "", text)
    return len(" ".join(text.split()))


def correct_is_longest(q: Question) -> bool:
    right = [seen_length(text) for ok, text in q.options if ok]
    wrong = [seen_length(text) for ok, text in q.options if not ok]
    return min(right) >= max(wrong)


def pages_with_quizzes():
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "<quiz>" in p.read_text())


def _page_params():
    return [pytest.param(name, marks=pytest.mark.xfail(reason=PENDING[name], strict=True)) if name in PENDING
            else name for name in pages_with_quizzes()]


def test_the_quiz_pages_are_found():
    pages = pages_with_quizzes()
    assert {"gradients-drive-learning.md", "check-yourself.md"} <= set(pages)
    for name in pages:
        assert quizzes((DOCS / name).read_text()), name
    assert set(PENDING) <= set(pages), "a PENDING page lost its quizzes: remove the entry"


@pytest.mark.parametrize("name", _page_params())
def test_quizzes_are_fair(name):
    questions = quizzes((DOCS / name).read_text())
    problems = []
    for n, q in enumerate(questions, 1):
        if len(q.options) < 3 or not q.correct:
            problems.append(f"question {n}: {len(q.options)} options, {len(q.correct)} correct")
        if VERDICT.match(q.explanation):
            problems.append(f"question {n}: the explanation opens with a verdict: {q.explanation[:40]!r}")
        if PLACE.search(q.explanation):
            problems.append(f"question {n}: the explanation names an option by its place: "
                            f"{PLACE.search(q.explanation).group(0)!r}")
    longest = [n for n, q in enumerate(questions, 1) if correct_is_longest(q)]
    if len(longest) > MAX_LONGEST_SHARE * len(questions):
        problems.append(f"the correct option is the longest in {len(longest)} of {len(questions)} questions "
                        f"(at most {MAX_LONGEST_SHARE:.0%}): questions {longest}")
    places = [q.correct[0] for q in questions if q.correct]
    for place in set(places):
        if len(questions) >= 4 and places.count(place) > MAX_SAME_PLACE_SHARE * len(questions):
            problems.append(f"the correct option is option {place + 1} in {places.count(place)} of "
                            f"{len(questions)} questions (at most {MAX_SAME_PLACE_SHARE:.0%})")
    assert problems == [], f"{name}:\n" + "\n".join(problems)


def test_the_rules_catch_an_unfair_quiz():
    unfair = """
<quiz>
Which is right?
- [x] The long and detailed right answer, with every qualification
- [ ] Short wrong one
- [ ] Another
</quiz>
<quiz>
Which?
- [ ] $\\sigma$
- [x] $(a - y)\\,\\sigma'(z)\\,x$
- [ ] $x$

Right: the first option is wrong.
</quiz>
"""
    first, second = quizzes(unfair)
    assert correct_is_longest(first) and correct_is_longest(second)
    assert seen_length("$(a - y)\\,\\sigma'(z)\\,x$") == len("(a - y)x'(z)x")
    assert VERDICT.match(second.explanation) and PLACE.search(second.explanation)
    assert not VERDICT.match("The answer is 6.") and not PLACE.search("The first layer learns slowly.")
    assert second.correct == [1] and second.explanation.startswith("Right")
