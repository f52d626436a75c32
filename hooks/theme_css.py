"""MkDocs hook: Material's stylesheets without the rules that restyle a whole page.

Each rule below makes the browser restyle every element under some change that happens
on every page load, which on a long chapter is a phone's blocking time. The hook rewrites
the built stylesheets; an edit whose rule is not found as written fails the build naming
the sheet (a new Material version: look at the rule and update the edit).

* The palette sheet turns transitions off under `[data-md-color-switching] *`, a rule on
  every element, and Material's palette script marks and unmarks `<body>` with it on each
  load: two whole-page restyles (Lighthouse, median of 3: chapter 2's total blocking time
  701 -> 586 ms). The rule is removed; `palette.js` switches transitions off only when
  the reader flips the theme (extra.css, `html.palette-switching`).
* The main sheet zeroes the outer margins of a table cell's first and last child with
  `table:not([class]) td>:first-child`. A `:not([class])` above a bare `:first-child`
  means any class change on any element restyles everything inside it: the bundle's
  `js-focus-visible` on `<html>`, for example, restyled the whole page at load (about
  1,070 elements; in the page, 7 ms per class change on `<html>` before, 1 ms after).
  The rules now apply to every table's cells: no table on the site has a class.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError

# (sheet, the rule as Material writes it, what replaces it)
EDITS = [
    ("palette",
     "[data-md-color-switching] *,[data-md-color-switching] :after,"
     "[data-md-color-switching] :before{transition-duration:0s!important}",
     ""),
    ("main",
     ".md-typeset table:not([class]) td>:first-child,.md-typeset table:not([class]) th>:first-child{margin-top:0}",
     ".md-typeset td>:first-child,.md-typeset th>:first-child{margin-top:0}"),
    ("main",
     ".md-typeset table:not([class]) td>:last-child,.md-typeset table:not([class]) th>:last-child{margin-bottom:0}",
     ".md-typeset td>:last-child,.md-typeset th>:last-child{margin-bottom:0}"),
]


def _selector(rule: str) -> str:
    """The rule's first selector: what identifies it, whatever its declarations."""
    return rule.split(",", 1)[0].split("{", 1)[0]


def rewritten(css: str, sheet: str, name: str) -> str:
    """The sheet with this sheet's edits made. A rule already rewritten passes (`mkdocs
    serve` may keep a sheet an earlier build rewrote); a rule that is there in another form
    is an error naming the file."""
    for target, rule, replacement in EDITS:
        if target != sheet:
            continue
        if rule in css:
            css = css.replace(rule, replacement)
        elif _selector(rule) in css:
            raise PluginError(f"{name}: Material's rule {_selector(rule)!r} is not written as "
                              f"hooks/theme_css.py expects ({rule[:60]}...)")
    return css


def on_post_build(config):
    for sheet in sorted({target for target, _, _ in EDITS}):
        found = sorted(Path(config.site_dir).glob(f"assets/stylesheets/{sheet}.*.min.css"))
        if not found:
            raise PluginError(f"assets/stylesheets/{sheet}.*.min.css: Material's {sheet} stylesheet is missing")
        for path in found:
            path.write_text(rewritten(path.read_text(encoding="utf-8"), sheet, str(path)), encoding="utf-8")
