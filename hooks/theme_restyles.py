"""MkDocs hook: Material's built assets without the parts that restyle a whole page.

Each part below makes the browser restyle every element on every page load, which on a
long chapter is a phone's blocking time. The hook rewrites the built files; an edit whose
text is not found as written fails the build naming the file (a new Material version:
look at the part and update the edit).

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
* The bundle's palette component adds a `<meta name="color-scheme">` to the head and then
  sets its content, and the browser restyles the whole page for each (in the page, 6-7 ms
  each; at load they were the two largest restyles of chapter 2). The head now carries
  that meta already, set to the reader's scheme before the body is parsed
  (overrides/main.html, overrides/partials/javascripts/palette.html); the bundle uses it,
  and writes it only when the scheme changes.
* The bundle wraps every plain table in a scrolling box when the page has loaded, moving
  each table in the page, so the browser lays every table out again (the notation page,
  all tables of formulas: 20-65 ms of layout at start-up). The pages are built with the
  boxes already in place (as tab stops, which a11y.js would make them), and the bundle
  leaves a table that has its box. Without JavaScript, wide tables now scroll too.
"""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

# (built file, text that shows the part is there, the part as Material writes it, what replaces it)
EDITS = [
    ("stylesheets/palette.*.min.css",
     "[data-md-color-switching] *",
     "[data-md-color-switching] *,[data-md-color-switching] :after,"
     "[data-md-color-switching] :before{transition-duration:0s!important}",
     ""),
    ("stylesheets/main.*.min.css",
     ".md-typeset table:not([class]) td>:first-child",
     ".md-typeset table:not([class]) td>:first-child,.md-typeset table:not([class]) th>:first-child{margin-top:0}",
     ".md-typeset td>:first-child,.md-typeset th>:first-child{margin-top:0}"),
    ("stylesheets/main.*.min.css",
     ".md-typeset table:not([class]) td>:last-child",
     ".md-typeset table:not([class]) td>:last-child,.md-typeset table:not([class]) th>:last-child{margin-bottom:0}",
     ".md-typeset td>:last-child,.md-typeset th>:last-child{margin-bottom:0}"),
    ("javascripts/bundle.*.min.js",
     '{name:"color-scheme"}',
     'let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
     'let o=document.querySelector("meta[name=color-scheme]")||document.head.appendChild(x("meta",{name:"color-scheme"}));'),
    ("javascripts/bundle.*.min.js",
     "o.content=a.colorScheme",
     "return o.content=a.colorScheme,",
     "return o.content!==a.colorScheme&&(o.content=a.colorScheme),"),
    ("javascripts/bundle.*.min.js",
     'x("div",{class:"md-typeset__table"}',
     "function ti(e){return e.replaceWith(ei),ei.replaceWith(Un(e)),$({ref:e})}",
     'function ti(e){return e.parentElement.classList.contains("md-typeset__table")||'
     "(e.replaceWith(ei),ei.replaceWith(Un(e))),$({ref:e})}"),
]

# A plain table (Material's `table:not([class])`), and the box the bundle would put it in.
PLAIN_TABLE = re.compile(r"<table>.*?</table>", re.S)
TABLE_BOX = '<div class="md-typeset__scrollwrap" tabindex="0"><div class="md-typeset__table">{}</div></div>'


def rewritten(text: str, asset: str, name: str) -> str:
    """The file with this asset's edits made. A part already rewritten passes (`mkdocs
    serve` may keep a file an earlier build rewrote); a part that is there in another
    form, or not there at all, is an error naming the file."""
    for target, marker, original, replacement in EDITS:
        if target != asset:
            continue
        if original in text:
            text = text.replace(original, replacement)
        elif replacement and replacement in text or not replacement and marker not in text:
            continue
        else:
            raise PluginError(f"{name}: Material's {marker!r} is not written as hooks/theme_restyles.py "
                              f"expects ({original[:60]}...)")
    return text


def on_post_page(output, page, config):
    return PLAIN_TABLE.sub(lambda table: TABLE_BOX.format(table.group(0)), output)


def on_post_build(config):
    for asset in sorted({target for target, *_ in EDITS}):
        found = sorted(Path(config.site_dir).glob(f"assets/{asset}"))
        if not found:
            raise PluginError(f"assets/{asset}: Material's file is missing")
        for path in found:
            path.write_text(rewritten(path.read_text(encoding="utf-8"), asset, str(path)), encoding="utf-8")
