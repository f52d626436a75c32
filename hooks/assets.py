"""MkDocs hook: each page loads only the assets it uses.

* A page lists its own stylesheets and scripts in its front matter (`styles:`,
  `scripts:`; see overrides/main.html). A name that points at no file fails the build,
  naming the page and the line.
* mkdocs-quiz would inline its style and script (about 55 KB) into every page; it is
  switched off on pages without a `<quiz>`, unless the page says otherwise. Pages with a
  quiz also get our additions to it, `quiz.js` and `quiz.css` (listed in QUIZ_ASSETS).
* mkdocs-quiz puts its `<style>` element after the article. Met there by the parser, a
  new style sheet sends the browser back over everything it has already styled; in the
  head there is nothing to go back over. It is moved to the end of the head, so it still
  comes after every linked style sheet and wins the same ties.
* Its progress box (the wide screen's) is also written after the article, and its script
  moves it to the top of the page's contents sidebar. Taking a child out of the article
  restyles the whole article (the browser's own MathML rules count siblings); the hook
  puts the box where the script would, and the script, finding it there, leaves it.
"""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs_quiz.plugin import style as QUIZ_STYLE

FOLDERS = {"styles": "assets/stylesheets", "scripts": "assets/javascripts"}
QUIZ_ASSETS = {"styles": "quiz.css", "scripts": "quiz.js"}
QUIZ_PROGRESS = re.compile(r'<div id="quiz-progress-sidebar"[^>]*>.*?</ul>\s*</div>\n?', re.S)
CONTENTS_SIDEBAR = re.compile(r'<div class="md-sidebar md-sidebar--secondary".*?<nav class="md-nav md-nav--secondary"[^>]*>', re.S)


def missing_assets(meta: dict, source: str, docs_dir: Path):
    """Yield (line number, message) for every listed asset that does not exist."""
    lines = source.splitlines()
    for key, folder in FOLDERS.items():
        names = meta.get(key) or []
        if isinstance(names, str):
            names = [names]
        for name in names:
            if not (docs_dir / folder / name).is_file():
                lineno = next((i for i, line in enumerate(lines, 1) if name in line), 1)
                yield lineno, f"{key}: no such file '{folder}/{name}'"


@event_priority(50)  # before mkdocs-quiz decides whether to process the page
def on_page_markdown(markdown, page, config, files):
    problems = [
        f"{page.file.src_path}:{lineno}: {message}"
        for lineno, message in missing_assets(page.meta, page.file.content_string, Path(config.docs_dir))
    ]
    if problems:
        raise PluginError("\n".join(problems))
    if "<quiz>" in markdown:
        for key, name in QUIZ_ASSETS.items():
            names = page.meta.get(key) or []
            names = [names] if isinstance(names, str) else list(names)
            if name not in names:
                page.meta[key] = [*names, name]
    elif "quiz" not in page.meta:
        page.meta["quiz"] = {"enabled": False}
    return markdown


def on_post_page(output, page, config):
    if QUIZ_STYLE and QUIZ_STYLE in output:
        output = output.replace(QUIZ_STYLE, "", 1).replace("</head>", QUIZ_STYLE + "\n</head>", 1)
    progress, contents = QUIZ_PROGRESS.search(output), CONTENTS_SIDEBAR.search(output)
    if progress and contents and contents.end() < progress.start():
        box = progress.group(0)
        output = output[:contents.end()] + box + output[contents.end():progress.start()] + output[progress.end():]
    return output
