"""MkDocs hook: what a reader cannot see at load stays out of the page until it is shown.

A chapter's formulas and code listings inside closed boxes ("Deeper", "The code behind
this figure") and inside the quizzes' explanations (shown after Submit) were 2,100 of
chapter 1's 5,000 elements at load (chapter 2: 1,500 of 3,800), and the browser parses,
keeps and partly styles every one of them on a phone that shows none of them. Each such formula and listing is written inside a `<noscript>` instead:
a browser running scripts keeps that as one piece of text, and `folded.js` puts it in
when the box opens (click, keyboard, a script, find-in-page, a link into the box) or the
explanation is shown, and before printing. Without JavaScript the browser reads the
`<noscript>` as ordinary markup, so the page shows exactly what it showed before.

The prose around them stays in the page, so find-in-page still finds a word in a closed
box (not one inside a formula: the formula's spoken form is in its `alttext`).
"""

import re

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

SCRIPT = "folded.js"
# Where hidden content starts and ends: boxes (their summary shows while they are closed),
# quiz explanations (mkdocs-quiz's `<section class="content hidden">`).
BOUNDARY = re.compile(r"<(details|section)\b([^>]*)>|</(details|section)>|</summary>")
OPEN_ATTRIBUTE = re.compile(r"\sopen(?=[\s=>/]|$)")
QUIZ_EXPLANATION = 'class="content hidden"'
FOLDABLE = re.compile(r'<math\b.*?</math>|<div class="highlight"><pre>.*?</pre></div>', re.S)


def hidden_spans(html: str) -> list[tuple[int, int]]:
    """(start, end) of every part a reader sees only once it is shown: the contents of a
    closed box after its summary, and a quiz's explanation."""
    spans, stack = [], []  # stack: [hidden, start] per open <details>/<section>
    for match in BOUNDARY.finditer(html):
        tag, attributes, closing = match.group(1), match.group(2), match.group(3)
        if tag == "details":
            stack.append([not OPEN_ATTRIBUTE.search(attributes), None])  # starts after </summary>
        elif tag == "section":
            stack.append([QUIZ_EXPLANATION in attributes, match.end()])
        elif closing:
            if not stack:
                break  # a stray closing tag: fold nothing after it rather than guess
            hidden, start = stack.pop()
            if hidden and start is not None:
                spans.append((start, match.start()))
        elif stack and stack[-1][1] is None:  # </summary> of the innermost box
            stack[-1][1] = match.end()
    return spans


def fold(html: str, where: str) -> tuple[str, int]:
    """The page with every formula and code listing in a hidden part inside a
    `<noscript class="folded">`, and how many were folded."""
    spans = hidden_spans(html)
    count = 0

    def kept(match):
        nonlocal count
        if not any(start <= match.start() < end for start, end in spans):
            return match.group(0)
        if "</noscript" in match.group(0).lower():
            raise PluginError(f"{where}: a folded formula or listing contains '</noscript'")
        count += 1
        return f'<noscript class="folded">{match.group(0)}</noscript>'

    return FOLDABLE.sub(kept, html), count


@event_priority(-110)  # after hooks/math.py (-100) has typeset the formulas
def on_page_content(html, page, config, files):
    html, count = fold(html, page.file.src_path)
    if count:
        scripts = list(page.meta.get("scripts") or [])
        page.meta["scripts"] = scripts + ([SCRIPT] if SCRIPT not in scripts else [])
    return html
