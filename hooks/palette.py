"""MkDocs hook: Material's light/dark palette without two whole-page restyles at load.

Material's palette script marks `<body data-md-color-switching>` while it applies the
reader's scheme, and unmarks it a moment later, on every page load. Its stylesheet turns
transitions off under that mark with `[data-md-color-switching] *`: a rule on every
element, so each mark and unmark makes the browser restyle the whole page. On a chapter
that was about 100 ms of a phone's blocking time (Lighthouse, median of 3: chapter 2's
total blocking time 701 -> 586 ms). This hook removes that one rule from the built
stylesheet; `palette.js` switches transitions off only when the reader flips the theme
(extra.css, `html.palette-switching`), so colours still change at once, and a page load
no longer pays for it.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError

SWITCHING_RULE = ("[data-md-color-switching] *,[data-md-color-switching] :after,"
                  "[data-md-color-switching] :before{transition-duration:0s!important}")


def without_switching_rule(css: str, name: str) -> str:
    """The stylesheet without the rule; an error naming the file if the rule has changed
    (a new Material version: look at its palette stylesheet and update SWITCHING_RULE).
    A sheet with no switching rule at all passes as it is (`mkdocs serve` may keep the
    sheet an earlier build already rewrote)."""
    if SWITCHING_RULE in css:
        return css.replace(SWITCHING_RULE, "")
    if "data-md-color-switching" in css:
        raise PluginError(f"{name}: Material's palette stylesheet has a different switching rule "
                          f"from the one hooks/palette.py removes ({SWITCHING_RULE[:40]}...)")
    return css


def on_post_build(config):
    sheets = sorted(Path(config.site_dir).glob("assets/stylesheets/palette.*.min.css"))
    if not sheets:
        raise PluginError("assets/stylesheets/palette.*.min.css: Material's palette stylesheet is missing")
    for sheet in sheets:
        sheet.write_text(without_switching_rule(sheet.read_text(encoding="utf-8"), str(sheet)), encoding="utf-8")
