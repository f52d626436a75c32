"""hooks/palette.py: Material's palette stylesheet without its whole-page switching rule."""

import sys

import pytest
from mkdocs.exceptions import PluginError

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "hooks"))
import palette  # noqa: E402


def test_the_built_palette_sheet_keeps_its_schemes_but_not_the_switching_rule(site_dir):
    sheets = list(site_dir.glob("assets/stylesheets/palette.*.min.css"))
    assert len(sheets) == 1
    css = sheets[0].read_text()
    assert "data-md-color-switching" not in css
    assert '[data-md-color-scheme=slate]' in css  # dark mode is still there


def test_a_changed_switching_rule_fails_the_build_naming_the_sheet():
    changed = "a{}[data-md-color-switching] *{transition:none}"
    with pytest.raises(PluginError, match="palette.x.min.css: Material's palette stylesheet has a different"):
        palette.without_switching_rule(changed, "palette.x.min.css")
    original = "a{}" + palette.SWITCHING_RULE + "b{}"
    assert palette.without_switching_rule(original, "p") == "a{}b{}"
    assert palette.without_switching_rule("a{}b{}", "p") == "a{}b{}"  # rewritten by an earlier build


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
