"""MkDocs hook: a chapter states its own reading time, measured on the page as built.

A page marks where the number goes with `<span class="reading-time">20</span>` (the text
inside is only a fallback). After the page is rendered, this hook measures its core path
with tools/reading.py (the words a reader meets outside folded boxes, tables, code and
quizzes, at 200 words a minute) and writes the minutes, rounded up, into every marker.
"""

import math
import re
import sys
from pathlib import Path

MARKER = re.compile(r'(<span class="reading-time">)[^<]*(</span>)')


def on_post_page(output, page, config):
    if 'class="reading-time"' not in output:
        return output
    tools = str(Path(config.config_file_path).parent / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    from reading import core_path

    minutes = math.ceil(core_path(output).minutes)
    return MARKER.sub(lambda m: f"{m.group(1)}{minutes}{m.group(2)}", output)
