"""One notation for the whole site, written down once in docs/notation.md.

Checked on every page (docs/**/*.md), on the text of every figure (the label, title,
legend and annotation strings of scripts/*.py: the SVGs draw their text as paths), and
on the explorer (its JavaScript and its data file). The rules are few:

1. **The loss is a curly L.** `\\mathcal{L}` (or ℒ in plain text) is the loss; plain `L`
   is the number of layers, so `\\partial L`, `\\nabla L` and `∂L` never appear.
2. **Every Greek letter is in the table.** Each Greek letter used, as a TeX command or as
   a Unicode character, has a row in docs/notation.md.
3. **One glyph per symbol.** The variant letters `\\varphi`, `\\varepsilon`,
   `\\vartheta` are not used: φ is `\\phi`, the activation function.
4. **Lengths are double bars.** On the pages a vector's length is
   `\\lVert v \\rVert`, never `\\|v\\|` or `\\Vert` (single bars are a number's size).
5. **The chapters point to the table.** Every chapter has a folded notation box that
   links to notation.md, and every symbol in that box is in the site's table.
"""

import ast
import json
import re
import unicodedata

import pytest

from conftest import PROJECT

DOCS = PROJECT / "docs"
NOTATION = DOCS / "notation.md"
CHAPTERS = ("gradients-drive-learning.md", "why-gradients-vanish.md", "fixing-vanishing-gradients.md")

GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
         "rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi "
         "Omega").split()
GREEK_COMMAND = re.compile(r"\\(" + "|".join(GREEK) + r")(?![a-zA-Z])")
PLAIN_L_LOSS = re.compile(r"\\partial\s*L(?![a-zA-Z])|\\nabla(?:_\{(?:[^{}]|\{[^{}]*\})*\}|_\w)?\s*L(?![a-zA-Z])"
                          r"|∂\s*L(?![a-zA-Z])")
VARIANTS = re.compile(r"\\(varphi|varepsilon|vartheta)(?![a-zA-Z])")
SINGLE_BAR_NORM = re.compile(r"\\\||\\Vert(?![a-zA-Z])")
LABEL_CALLS = {"set", "set_xlabel", "set_ylabel", "set_title", "suptitle", "annotate", "text", "legend", "colorbar"}
LABEL_KEYWORDS = {"label", "xlabel", "ylabel", "title"}

# Files expected to break the notation for now (strict xfail: an entry that starts passing
# fails loudly, so it gets removed). None at the moment.
PENDING: dict[str, str] = {}
PENDING_CHAPTER_BOXES: dict[str, str] = {}
EXPLORER_SCRIPTS = sorted(p.relative_to(PROJECT).as_posix()
                          for p in (PROJECT / "docs" / "assets" / "javascripts" / "explorer").glob("*.js"))


def greek_name(char: str) -> str | None:
    """The TeX name of a Greek letter character (λ -> lambda, Φ -> Phi), else None."""
    name = unicodedata.name(char, "")
    if not name.startswith("GREEK") or "LETTER" not in name:
        return None
    letter = name.split()[-1].lower().replace("lamda", "lambda")
    return letter.capitalize() if "CAPITAL" in name else letter


def table_symbols() -> set[str]:
    """Greek letters named in the first column of the notation table."""
    names = set()
    for line in NOTATION.read_text().splitlines():
        if line.startswith("| ") and not line.startswith("| Symbol"):
            symbol = line.split("|")[1]
            names |= set(GREEK_COMMAND.findall(symbol)) | {greek_name(c) for c in symbol} - {None}
    return names


def greek_used(text: str) -> set[str]:
    return set(GREEK_COMMAND.findall(text)) | {greek_name(c) for c in text} - {None}


def problems_in(text: str, page: bool) -> list[str]:
    found = []
    for pattern, rule in ((PLAIN_L_LOSS, "the loss is \\mathcal{L}, not plain L"),
                          (VARIANTS, "one glyph per letter: no \\var... variants")):
        found += [f"{rule}: {m.group(0)!r}" for m in pattern.finditer(text)]
    if page:
        found += [f"lengths are \\lVert v \\rVert: {m.group(0)!r}" for m in SINGLE_BAR_NORM.finditer(text)]
    missing = greek_used(text) - table_symbols()
    found += [f"not in docs/notation.md: {name}" for name in sorted(missing)]
    return found


def figure_label_strings(source: str) -> list[str]:
    """The strings a figure script draws: label/title keywords and the text arguments of
    label-setting calls (f-strings contribute their literal parts)."""
    def strings(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.JoinedStr):
            return ["".join(v.value for v in node.values if isinstance(v, ast.Constant))]
        if isinstance(node, ast.BinOp | ast.Call):  # "..." % x, "...".replace(...)
            return [s for child in ast.iter_child_nodes(node) for s in strings(child)]
        if isinstance(node, ast.Attribute):
            return strings(node.value)
        return []

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        found += [s for kw in node.keywords if kw.arg in LABEL_KEYWORDS for s in strings(kw.value)]
        if name in LABEL_CALLS and node.args:
            found += strings(node.args[0])
    return found


def json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)


def _pending(names, pending):
    return [pytest.param(n, marks=pytest.mark.xfail(reason=pending[n], strict=True)) if n in pending else n
            for n in names]


PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "figures" not in p.parts)
SCRIPTS = sorted(f"scripts/{p.name}" for p in (PROJECT / "scripts").glob("*.py"))


@pytest.mark.parametrize("name", _pending(PAGES, PENDING))
def test_pages_keep_the_notation(name):
    assert problems_in((DOCS / name).read_text(), page=True) == []


@pytest.mark.parametrize("name", _pending(SCRIPTS, PENDING))
def test_figure_labels_keep_the_notation(name):
    labels = figure_label_strings((PROJECT / name).read_text())
    assert [f"{problem} in {label!r}" for label in labels for problem in problems_in(label, page=False)] == []


@pytest.mark.parametrize("name", _pending(EXPLORER_SCRIPTS, PENDING))
def test_the_explorer_keeps_the_notation(name, figures_dir):
    texts = re.findall(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", (PROJECT / name).read_text())
    texts += list(json_strings(json.loads((figures_dir / "data" / "explorer_data.json").read_text())))
    assert [f"{problem} in {text}" for text in texts for problem in problems_in(text, page=False)] == []


@pytest.mark.parametrize("chapter", _pending(CHAPTERS, PENDING_CHAPTER_BOXES))
def test_each_chapter_has_a_notation_box_linking_to_the_table(chapter):
    text = (DOCS / chapter).read_text()
    box = re.search(r'^\?\?\?\+? note "Notation[^"]*"\n((?:    .*\n|\n)+)', text, re.M)
    assert box, f"{chapter}: no folded notation box"
    assert "(notation.md)" in box.group(1)
    assert greek_used(box.group(1)) <= table_symbols()


def test_the_rules_catch_what_they_should():
    assert problems_in(r"$\partial L/\partial w$ and $\nabla_{W} L$", page=True)[:2] == [
        "the loss is \\mathcal{L}, not plain L: '\\\\partial L'", "the loss is \\mathcal{L}, not plain L: '\\\\nabla_{W} L'"]
    assert problems_in("gradient size |∂L/∂h|", page=False)
    assert problems_in(r"$\|g\|$", page=True) and not problems_in(r"$\|g\|$", page=False)
    assert problems_in(r"$\varphi$", page=True)
    assert problems_in(r"$\omega$", page=True) == ["not in docs/notation.md: omega"]
    assert problems_in("ω", page=False) == ["not in docs/notation.md: omega"]
    assert problems_in(r"$\partial \mathcal{L}/\partial W_l$, $L$ layers, $\Lambda$, $\lambda$", page=True) == []
    assert figure_label_strings('ax.set(ylabel="$\\\\phi$", title=f"{n} layers")\nax.annotate("P", xy)') == [
        "$\\phi$", " layers", "P"]
    assert problems_in(r"$\nabla_{h_{t-1}} L = W_h^\top$", page=True)
