"""MkDocs hook: typeset every formula at build time, as MathML with a spoken form.

pymdownx.arithmatex (generic mode) leaves each formula in the page as
`<span class="arithmatex">\\(...\\)</span>` or `<div class="arithmatex">\\[...\\]</div>`.
This hook hands the TeX to `hooks/typeset.mjs` (Node: Temml writes MathML, which
browsers draw natively; speech-rule-engine writes the English sentence for the
page's Listen control and the formula's `alttext`), and puts the result in place of
the TeX. A page therefore loads no math script at all, and reads without JavaScript.

* A TeX error fails the build naming the page and the line of the formula.
* Results are cached in `.cache/math/` (keyed by the TeX, the display flag and the
  exact tool versions), so a rebuild only typesets what changed.
* After the build, the math font (STIX Two Math, from npm) is cut down to the
  characters the site uses, with its MATH table (stretchy brackets, big operators):
  about 20 KB instead of 400 KB.
"""

import hashlib
import html
import json
import logging
import os
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.math")

PROJECT = Path(__file__).resolve().parent.parent
NODE_MODULES = PROJECT / "node_modules"
TYPESET = Path(__file__).with_name("typeset.mjs")
FONT_SOURCE = NODE_MODULES / "@fontsource" / "stix-two-math" / "files" / "stix-two-math-latin-400-normal.woff2"
FONT_TARGET = "assets/fonts/STIXTwoMath.woff2"
CACHE_DIR = PROJECT / ".cache" / "math"

FORMULA = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}
TAG = re.compile(r"<[^>]+>")
# mkdocs-jupyter writes a MathJax loader (and MathJax 2 configuration) into every notebook
# page; the notebooks' prose has no formulas, and no page may load a math engine.
NOTEBOOK_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


class Typesetter:
    """The Node process that typesets, started on first use and kept for the session."""

    def __init__(self):
        self.process = None

    def __call__(self, items: list[dict]) -> list[dict]:
        if self.process is None or self.process.poll() is not None:
            if not (NODE_MODULES / "temml").is_dir():
                raise PluginError("node_modules/ is missing: run `make setup` (npm ci) to install the math tools")
            self.process = subprocess.Popen(["node", str(TYPESET)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            text=True, encoding="utf-8")
        self.process.stdin.write(json.dumps(items) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise PluginError("hooks/typeset.mjs stopped without an answer (see the error above)")
        return json.loads(answer)

    def close(self):
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process = None


def tool_versions() -> str:
    """What the cache depends on besides the TeX: the typesetting script and the locked packages."""
    h = hashlib.sha256(TYPESET.read_bytes())
    lock = PROJECT / "package-lock.json"
    if lock.exists():
        h.update(lock.read_bytes())
    return h.hexdigest()


class Cache:
    """Typeset formulas on disk, one JSON file, rewritten only when something new was added."""

    def __init__(self, directory: Path):
        self.path = directory / "formulas.json"
        self.versions = tool_versions()
        try:
            self.entries = json.loads(self.path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            self.entries = {}
        self.dirty = False

    def key(self, tex: str, display: bool) -> str:
        return hashlib.sha256(f"{self.versions}\0{int(display)}\0{tex}".encode()).hexdigest()

    def get(self, tex: str, display: bool):
        return self.entries.get(self.key(tex, display))

    def put(self, tex: str, display: bool, result: dict) -> None:
        self.entries[self.key(tex, display)] = result
        self.dirty = True

    def save(self) -> None:
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")  # builds may run side by side (tests)
            tmp.write_text(json.dumps(self.entries, sort_keys=True))
            tmp.replace(self.path)
            self.dirty = False


typesetter = Typesetter()
_cache: Cache | None = None
_markdown: dict[str, tuple[str, int]] = {}  # page -> (markdown after macros, lines of front matter)
_characters: set[str] = set()


def on_pre_build(config):
    global _cache
    _cache = Cache(CACHE_DIR)
    _markdown.clear()
    _characters.clear()


@event_priority(-100)  # after mkdocs-macros: the TeX as it will reach the page
def on_page_markdown(markdown, page, config, files):
    _markdown[page.file.src_path] = (markdown, front_matter_lines(page.file.content_string, markdown))
    return markdown


def front_matter_lines(source: str, markdown: str) -> int:
    """How many lines the source has before the markdown MkDocs hands to plugins."""
    first = next((i for i, line in enumerate(markdown.splitlines()) if line.strip()), 0)
    wanted = markdown.splitlines()[first].strip() if markdown.strip() else ""
    for i, line in enumerate(source.splitlines()):
        if line.strip() == wanted and i >= first:
            return i - first
    return 0


def line_of(tex: str, page) -> int:
    """The line of the page's source that holds (the start of) this formula."""
    markdown, front_matter = _markdown.get(page.file.src_path, ("", 0))
    first_line = next((line.strip() for line in tex.splitlines() if line.strip()), tex)
    at = markdown.find(first_line)
    return markdown.count("\n", 0, at) + 1 + front_matter if at >= 0 else 0


def formulas(content: str):
    """(match, TeX, display) for every formula arithmatex left in the HTML."""
    for match in FORMULA.finditer(content):
        tag, body = match.group(1), html.unescape(match.group(2)).strip()
        start, end = DELIMITERS[tag]
        if body.startswith(start) and body.endswith(end):
            yield match, body[len(start):-len(end)], tag == "div"


@event_priority(-100)  # after the quiz plugin has put its questions (and their formulas) in
def on_page_content(content, page, config, files):
    content = NOTEBOOK_MATHJAX.sub("", content)
    found = list(formulas(content))
    if not found:
        return content
    todo = {(tex, display) for _, tex, display in found if _cache.get(tex, display) is None}
    if todo:
        todo = sorted(todo)
        for (tex, display), result in zip(todo, typesetter([{"tex": t, "display": d} for t, d in todo])):
            if "error" in result:
                raise PluginError(f"{page.file.src_path}:{line_of(tex, page)}: TeX error in "
                                  f"{'$$' if display else '$'}{tex.strip()}{'$$' if display else '$'}: {result['error']}")
            _cache.put(tex, display, result)

    def typeset(match, tex, display):
        result = _cache.get(tex, display)
        _characters.update(html.unescape(TAG.sub("", result["mathml"])))
        mathml = result["mathml"].replace("<math", f'<math alttext="{html.escape(result["speech"])}"', 1)
        return f'<{match.group(1)} class="arithmatex">{mathml}</{match.group(1)}>'

    pieces, last = [], 0
    for match, tex, display in found:
        pieces += [content[last:match.start()], typeset(match, tex, display)]
        last = match.end()
    page.meta["has_math"] = True
    return "".join(pieces) + content[last:]


# A one-letter <mi> is drawn in math italic (CSS text-transform: math-auto, which Chromium
# applies): x becomes U+1D465, h U+210E, alpha U+1D6FC. The font must hold those letters,
# or each one falls back to another font (a sans-serif h beside a serif F).
MATH_ITALIC_EXCEPTIONS = {"h": "\u210e", "\u0131": "\U0001d6a4", "\u0237": "\U0001d6a5", "\u2207": "\U0001d6fb",
                          "\u2202": "\U0001d715", "\u03f5": "\U0001d716", "\u03d1": "\U0001d717",
                          "\u03f0": "\U0001d718", "\u03d5": "\U0001d719", "\u03f1": "\U0001d71a",
                          "\u03d6": "\U0001d71b", "\u03f4": "\U0001d6f3"}
MATH_ITALIC_RANGES = (("A", "Z", 0x1D434), ("a", "z", 0x1D44E), ("\u0391", "\u03a9", 0x1D6E2),
                      ("\u03b1", "\u03c9", 0x1D6FC))


def math_italic(character: str) -> str | None:
    """The math-italic form the browser draws for a one-letter <mi>, if the letter has one."""
    if character in MATH_ITALIC_EXCEPTIONS:
        return MATH_ITALIC_EXCEPTIONS[character]
    for first, last, start in MATH_ITALIC_RANGES:
        if first <= character <= last and character != "\u03a2":  # U+03A2 is unassigned
            return chr(start + ord(character) - ord(first))
    return None


def font_characters(characters: set[str]) -> set[str]:
    """What the math font must hold for formulas made of these characters: them (spaces
    too: a no-break space in \\text{} is drawn by the font), and the math-italic form of
    each letter among them."""
    characters = {c for c in characters if c not in "\n\t\r"}
    return characters | {italic for c in characters if (italic := math_italic(c)) is not None}


SUBSET_VERSION = "2"  # part of the cached subset's name: change it when subset_font changes


def subset_font(characters: set[str], target: Path) -> None:
    """STIX Two Math cut down to these characters (font_characters), keeping the MATH
    table and its variants."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # ssty, ss01 (calligraphic), ss04 (primes) ...
    font = TTFont(FONT_SOURCE)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def on_post_build(config):
    _cache.save()
    if not _characters:
        return
    characters = font_characters(_characters)
    digest = hashlib.sha256(("".join(sorted(characters)) + FONT_SOURCE.name + SUBSET_VERSION).encode()).hexdigest()[:16]
    cached = CACHE_DIR / f"STIXTwoMath-{digest}.woff2"
    if not cached.exists():
        partial = cached.with_suffix(f".{os.getpid()}.tmp")  # never a half-written font for another build
        subset_font(characters, partial)
        partial.replace(cached)
    target = Path(config.site_dir) / FONT_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(cached.read_bytes())


def on_shutdown():
    typesetter.close()
