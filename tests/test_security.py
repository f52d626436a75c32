"""Security hygiene: a strict Content-Security-Policy that no page violates, and our own
scripts never use inline event handlers or inject HTML built from data."""

import re
from pathlib import Path

import pytest

from conftest import ON_JS_WALK, PROJECT

OUR_SCRIPTS = sorted((PROJECT / "docs" / "assets" / "javascripts").rglob("*.js"))  # widget folders too
OUR_PAGES = sorted((PROJECT / "docs").glob("*.md"))


def test_every_page_carries_a_policy_without_unsafe_inline_scripts(site_dir):
    for html in site_dir.rglob("*.html"):
        text = html.read_text()
        match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', text)
        assert match, f"{html}: no Content-Security-Policy"
        directives = dict(d.strip().split(" ", 1) for d in match.group(1).split(";"))
        assert directives["default-src"] == "'self'"
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert text.index("Content-Security-Policy") < text.index("<script"), "policy must precede scripts"
        assert text.find('<meta charset="utf-8">') in range(1024 - 22), f"{html}: charset not in the first 1,024 bytes"


def test_our_scripts_use_no_inline_handlers_and_no_html_injection():
    assert OUR_SCRIPTS, "expected our JavaScript under docs/assets/javascripts"
    for script in OUR_SCRIPTS:
        code = script.read_text()
        assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", code), script.name
        assert not re.search(r"setAttribute\(\s*[\"']on", code), script.name
    for page in OUR_PAGES:
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", page.read_text()), f"{page.name}: inline event handler"


@pytest.mark.browser
@ON_JS_WALK
def test_no_page_violates_its_policy(site_visits):
    assert {path: seen["csp"] for path, seen in site_visits.items() if seen["csp"]} == {}
