"""MkDocs hook: a page that refers to a missing figure, table or number fails the build.

pymdownx.snippets and mkdocs-macros would fail too, but without saying which page and
line asked for the missing file. This hook runs first and names both, for example

    why-gradients-vanish.md:42: missing figure 'figures/foo.svg' (run `make figures`?)
"""

import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

FIGURE_LINK = re.compile(r"""[("'=]((?:\.\./)*figures/[^)"'\s]+)""")
SNIPPET = re.compile(r"""--8<--\s+["']([^"']+)["']""")
SNIPPET_SECTION = re.compile(r":[\w-]+(?::\d+)?$")
NUMBER = re.compile(r"\{\{[^}]*?\bnumbers((?:\.\w+)+)")

_numbers: dict = {}


def on_pre_build(config):
    """Load the generated numbers once per build (after figures.py refreshed them)."""
    global _numbers
    path = Path(config.config_file_path).parent / "figures" / "numbers.yml"
    _numbers = yaml.safe_load(path.read_text())["numbers"] if path.exists() else {}


def missing_references(markdown: str, page_dir: Path, project: Path, numbers: dict):
    """Yield (line number, message) for every reference that points at nothing."""
    for lineno, line in enumerate(markdown.splitlines(), start=1):
        for ref in FIGURE_LINK.findall(line):
            target = ref.split("#")[0]
            if not (page_dir / target).exists():
                yield lineno, f"missing figure {ref!r} (run `make figures`?)"
        for ref in SNIPPET.findall(line):
            path = SNIPPET_SECTION.sub("", ref)  # "file.py:section" or "file.py:3:9" name a part
            if not (project / path).exists():
                yield lineno, f"missing snippet {ref!r} (run `make figures`?)"
        for dotted in NUMBER.findall(line):
            node = numbers
            for part in dotted.strip(".").split("."):
                if not isinstance(node, dict) or part not in node:
                    yield lineno, f"unknown number 'numbers{dotted}' (not in figures/numbers.yml)"
                    break
                node = node[part]


@event_priority(100)  # before mkdocs-macros renders (and would fail less helpfully)
def on_page_markdown(markdown, page, config, files):
    project = Path(config.config_file_path).parent
    page_dir = (Path(config.docs_dir) / page.file.src_path).parent
    # Scan the file as the author wrote it (front matter included), so line numbers match.
    source = page.file.content_string
    problems = [
        f"{page.file.src_path}:{lineno}: {message}"
        for lineno, message in missing_references(source, page_dir, project, _numbers)
    ]
    if problems:
        raise PluginError("\n".join(problems))
    return markdown
