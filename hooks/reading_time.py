"""MkDocs hook: a chapter states its own reading time, measured on the page as built.

A page marks where the number goes with `<span class="reading-time">20</span>` (the text
inside is only a fallback). After the page is rendered, this hook measures its core path
with tools/reading.py (the words a reader meets outside folded boxes, tables, code and
quizzes, at 200 words a minute) and writes the minutes, rounded up, into every marker.

A page may also state the time to work through it, figures, tables and quiz included:
`<span class="study-time">40</span>` gets tools/reading.py's `study_minutes`, rounded up
to 5 minutes (it is an estimate, and says so by its roundness).
"""

import math
import re
import sys
from pathlib import Path

MARKERS = {
    "reading-time": lambda cp: math.ceil(cp.minutes),
    "study-time": lambda cp: 5 * math.ceil(cp.study_minutes / 5),
}


def on_post_page(output, page, config):
    if not any(f'class="{name}"' in output for name in MARKERS):
        return output
    tools = str(Path(config.config_file_path).parent / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    from reading import core_path

    cp = core_path(output)
    for name, minutes in MARKERS.items():
        marker = re.compile(rf'(<span class="{name}">)[^<]*(</span>)')
        output = marker.sub(lambda m, value=minutes(cp): f"{m.group(1)}{value}{m.group(2)}", output)
    return output
