"""MkDocs hook: the "Listen" control's markup, written into the pages that load listen.js.

The control is part of the page from the start, under the title: its buttons wait,
disabled, until `listen.js` finds a voice, so nothing moves when the script arrives,
and without JavaScript it says plainly that reading aloud needs it. The list of
sections comes from the page's own headings. The page also gets listen.css.
"""

import html
import re

SCRIPT = "listen.js"
STYLE = "listen.css"
TITLE = re.compile(r"(<h1\b[^>]*>.*?</h1>)", re.S)


def control(sections: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{html.escape(anchor)}">{html.escape(title)}</option>'
                      for anchor, title in [("", "Whole page"), *sections])
    return (
        '<div class="listen-control" role="group" aria-label="Listen to this page">'
        '<button type="button" class="listen-play" disabled>▶ Listen</button>'
        '<button type="button" class="listen-pause" disabled>Pause</button>'
        '<button type="button" class="listen-stop" disabled>Stop</button>'
        '<label for="listen-section">Read:</label>'
        f'<select id="listen-section" class="listen-section" disabled>{options}</select>'
        '<span class="listen-status" aria-live="polite">Reading aloud needs JavaScript.</span>'
        "</div>"
    )


def on_page_content(content, page, config, files):
    if SCRIPT not in (page.meta.get("scripts") or []):
        return content
    sections = [(item.id, item.title) for top in page.toc for item in top.children]
    page.meta["styles"] = [*(page.meta.get("styles") or []), STYLE]
    return TITLE.sub(lambda m: m.group(1) + control(sections), content, count=1)
