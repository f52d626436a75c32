"""hooks/theme_restyles.py: Material's built assets without the parts that restyle a whole page."""

import sys

import pytest
from mkdocs.exceptions import PluginError

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "hooks"))
import theme_restyles  # noqa: E402


def test_the_built_palette_sheet_keeps_its_schemes_but_not_the_switching_rule(site_dir):
    sheets = list(site_dir.glob("assets/stylesheets/palette.*.min.css"))
    assert len(sheets) == 1
    css = sheets[0].read_text()
    assert "data-md-color-switching" not in css
    assert '[data-md-color-scheme=slate]' in css  # dark mode is still there


def test_the_built_main_sheet_styles_table_cells_without_a_not_class_selector(site_dir):
    """`table:not([class]) td>:first-child` made every class change restyle a whole subtree."""
    sheets = list(site_dir.glob("assets/stylesheets/main.*.min.css"))
    assert len(sheets) == 1
    css = sheets[0].read_text()
    assert "table:not([class]) td>:first-child" not in css
    assert "table:not([class]) td>:last-child" not in css
    assert ".md-typeset td>:first-child,.md-typeset th>:first-child{margin-top:0}" in css
    assert "table:not([class]) td{" in css  # the rest of Material's table style stays


def test_a_changed_part_fails_the_build_naming_the_file():
    changed = "a{}[data-md-color-switching] *{transition:none}"
    with pytest.raises(PluginError, match="palette.x.min.css: Material's '\\[data-md-color-switching\\] \\*' is not"):
        theme_restyles.rewritten(changed, "stylesheets/palette.*.min.css", "palette.x.min.css")
    changed = "a{}.md-typeset table:not([class]) td>:first-child{margin-top:.1em}"
    with pytest.raises(PluginError, match="main.x.min.css: Material's"):
        theme_restyles.rewritten(changed, "stylesheets/main.*.min.css", "main.x.min.css")
    with pytest.raises(PluginError, match="bundle.x.min.js: Material's '{name:\"color-scheme\"}' is not"):
        theme_restyles.rewritten("function li(){}", "javascripts/bundle.*.min.js", "bundle.x.min.js")
    for asset in {asset for asset, *_ in theme_restyles.EDITS}:
        edits = [(original, replacement) for a, _, original, replacement in theme_restyles.EDITS if a == asset]
        once = theme_restyles.rewritten("a{}" + "b{}".join(original for original, _ in edits), asset, "f")
        assert all(original not in once and replacement in once for original, replacement in edits)
        assert theme_restyles.rewritten(once, asset, "f") == once  # rewritten by an earlier build


def test_the_bundle_keeps_the_heads_color_scheme_meta_and_follows_the_reader(browser, served_site):
    """One color-scheme meta, set to the reader's scheme before the body and updated by
    the bundle on a flip (it used to add a second and write it on every load)."""
    for scheme, expected, flipped in [("dark", "dark", "light"), ("light", "light", "dark")]:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(served_site + "/why-gradients-vanish/")
        page.wait_for_load_state("networkidle")
        metas = "[...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content)"
        assert page.evaluate(metas) == [expected]
        page.locator("label.md-header__button[for^=__palette]:visible").click()
        page.wait_for_function(f"() => {metas}.join() === '{flipped}'")
        context.close()


def test_every_table_is_built_in_materials_scrolling_box(site_dir):
    """The bundle used to move every table into this box at load (a second layout of each)."""
    box = '<div class="md-typeset__scrollwrap" tabindex="0"><div class="md-typeset__table"><table>'
    counts = [(html.read_text().count("<table"), html.read_text().count(box)) for html in site_dir.rglob("*.html")]
    assert sum(tables for tables, _ in counts) >= 30
    assert all(tables == boxed for tables, boxed in counts)


def test_the_bundle_leaves_a_boxed_table_where_it_is(page, served_site):
    page.goto(served_site + "/notation/")
    page.wait_for_load_state("networkidle")
    tables = page.evaluate("""() => [...document.querySelectorAll('table')].map(t =>
        t.parentElement.matches('.md-typeset__scrollwrap[tabindex="0"] > .md-typeset__table')
        && !t.closest('.md-typeset__scrollwrap').parentElement.closest('.md-typeset__scrollwrap'))""")
    assert len(tables) >= 3 and all(tables)
    assert page.problems == []


def test_flipping_the_theme_changes_colours_at_once(page, served_site):
    """Without Material's rule, a flip would fade about a hundred elements' colours
    (tried: 102 running transitions); palette.js switches transitions off for the flip."""
    page.goto(served_site + "/why-gradients-vanish/")
    page.wait_for_load_state("networkidle")
    before = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("label.md-header__button[for^=__palette]:visible").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") != before
    assert page.evaluate("document.getAnimations().filter(a => a instanceof CSSTransition).length") == 0
    page.wait_for_function("() => !document.documentElement.classList.contains('palette-switching')")
    assert page.problems == []
