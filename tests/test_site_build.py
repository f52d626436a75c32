"""The site builds strictly, every reference resolves, and a bad reference names its page."""

import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, SITE_SOURCES, copy_sources, link_shared, mkdocs_build

sys.path.insert(0, str(PROJECT / "hooks"))
import references  # noqa: E402  (the build hook that checks figure/snippet/number references)

pytestmark = pytest.mark.slow
DOCS = PROJECT / "docs"


def doc_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "figures" not in p.relative_to(DOCS).parts)


def site_config() -> dict:
    """mkdocs.yml as MkDocs reads it (its !ENV tags understood)."""
    from mkdocs.utils import yaml_load

    return yaml_load((PROJECT / "mkdocs.yml").read_text())


def test_strict_build_produces_every_nav_page(site_dir):
    config = site_config()

    def pages(entries):
        for entry in entries:
            value = entry if isinstance(entry, str) else next(iter(entry.values()))
            yield from pages(value) if isinstance(value, list) else [value]

    nav_pages = list(pages(config["nav"]))
    assert len(nav_pages) >= 12
    for page in nav_pages:
        stem = page.rsplit(".", 1)[0]
        built = "index.html" if stem == "index" else stem + "/index.html"
        assert (site_dir / built).exists(), built


def test_builds_side_by_side_share_no_cache_written_in_place():
    """pytest builds the site from two workers at once. mkdocs-jupyter's cache is one
    shared folder, written in place and pruned by whichever build ends first: with it on,
    a build once read the other's half-written file and failed (CI, stop 22)."""
    jupyter = next(p["mkdocs-jupyter"] for p in site_config()["plugins"] if isinstance(p, dict) and "mkdocs-jupyter" in p)
    assert jupyter.get("cache") is False


def test_every_reference_on_every_page_exists(figures_dir):
    numbers = yaml.safe_load((figures_dir / "numbers.yml").read_text())["numbers"]
    problems = [
        f"{page.relative_to(DOCS)}:{line}: {message}"
        for page in doc_pages()
        for line, message in references.missing_references(page.read_text(), page.parent, PROJECT, numbers)
    ]
    assert problems == []


def test_every_generated_figure_and_table_is_used_by_a_page(figures_dir):
    text = "\n".join(p.read_text() for p in doc_pages())
    phones = [p for p in figures_dir.glob("*.phone.svg")]
    assert all(p.with_name(p.name.replace(".phone.svg", ".svg")).exists() for p in phones)
    generated = [p.relative_to(figures_dir).as_posix() for p in figures_dir.glob("*.svg") if p not in phones]
    generated += [p.relative_to(figures_dir).as_posix() for p in (figures_dir / "tables").glob("*.md")]
    assert generated, "make figures produced nothing"
    unused = [name for name in generated if f"figures/{name}" not in text]
    assert unused == []


def test_every_generated_number_is_used_by_a_page(figures_dir):
    text = "\n".join(p.read_text() for p in doc_pages())
    numbers = yaml.safe_load((figures_dir / "numbers.yml").read_text())["numbers"]
    unused = [f"{script}.{key}" for script, keys in numbers.items() for key in keys
              if not re.search(rf"numbers\.{script}\.{key}\b", text)]
    assert unused == []


def test_figures_have_alt_text_and_captions(site_dir):
    for html in site_dir.rglob("*.html"):
        for img in re.findall(r"<img[^>]*src=\"[^\"]*figures/[^>]*>", html.read_text()):
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and len(alt.group(1)) > 40, f"{html}: figure without meaningful alt text: {img[:120]}"
        page = html.read_text()
        assert page.count("<figure") == page.count("<figcaption"), f"{html}: figure without caption"


@pytest.fixture
def project_copy(tmp_path, figures_dir):
    """A throw-away copy of the site sources, sharing the real generated figures."""
    copy_sources(tmp_path, SITE_SOURCES + ("docs",))  # docs/figures stays a link to ../figures
    (tmp_path / "figures").symlink_to(figures_dir)
    (tmp_path / "scripts").symlink_to(PROJECT / "scripts")
    link_shared(tmp_path)
    return tmp_path


BAD_REFERENCES = {
    "figure": ("![A plot that was never drawn, described at length for screen readers.](figures/never_drawn.svg)",
               "missing figure 'figures/never_drawn.svg'"),
    "snippet": ('--8<-- "figures/tables/never_tabulated.md"', "missing snippet 'figures/tables/never_tabulated.md'"),
    "number": ("The answer is {{ numbers.chain_rule_bound.no_such_key }}.",
               "unknown number 'numbers.chain_rule_bound.no_such_key'"),
    "formula": ("The slope is $\\frac{1}{$ here.", "TeX error in $\\frac{1}{$"),
}


@pytest.mark.parametrize("kind", sorted(BAD_REFERENCES))
def test_a_missing_reference_fails_the_build_naming_page_and_line(project_copy, kind, tmp_path):
    line, message = BAD_REFERENCES[kind]
    page = project_copy / "docs" / "explorer.md"
    page.write_text("---\nrender_macros: true\n---\n\n# Explorer\n\n" + line + "\n")
    result = mkdocs_build(project_copy / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert f"explorer.md:7: {message}" in result.stderr


def test_the_copy_builds_cleanly_before_we_break_it(project_copy, tmp_path):
    result = mkdocs_build(project_copy / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.stderr


def test_every_internal_link_and_anchor_in_the_built_site_resolves(site_dir):
    """Parse the built HTML: every local href/src points at a file, every #anchor at an id."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlparse

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.add(attrs["id"])
            for name in ("href", "src"):
                if attrs.get(name):
                    self.links.append(attrs[name])

    pages = {}
    for html in site_dir.rglob("*.html"):
        collector = Collector()
        collector.feed(html.read_text())
        pages[html] = collector

    broken = []
    for html, collector in pages.items():
        for link in collector.links:
            parsed = urlparse(link)
            if parsed.scheme or link.startswith(("//", "mailto:", "javascript:")):
                continue  # external links are checked elsewhere, never in CI
            path = unquote(parsed.path)
            if not path:
                target = html
            elif path.startswith("/"):  # the 404 page links from the site root (site_url's path)
                target = (site_dir / path.lstrip("/")).resolve()
            else:
                target = (html.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(site_dir)}: {link}")
            elif parsed.fragment and target.suffix == ".html" and target in pages:
                if unquote(parsed.fragment) not in pages[target].ids:
                    broken.append(f"{html.relative_to(site_dir)}: {link} (no such anchor)")
    assert broken == []


def test_each_page_loads_only_the_assets_it_uses(site_dir):
    """Quiz code only where there are quizzes; widget scripts only on their own pages."""
    home = (site_dir / "index.html").read_text()
    chapter = (site_dir / "why-gradients-vanish" / "index.html").read_text()
    explorer = (site_dir / "explorer" / "index.html").read_text()
    assert "mkdocsQuizConfig" not in home and "mkdocsQuizConfig" in chapter
    assert "listen.js" in chapter and "listen.js" not in home and "listen.js" not in explorer
    assert "explorer/main.js" in explorer and "explorer/main.js" not in chapter


def test_no_page_puts_a_style_sheet_in_its_body(site_dir):
    """A style sheet met in the body makes the browser restyle everything parsed so far
    (hooks/assets.py moves the quiz plugin's into the head)."""
    late = [str(html.relative_to(site_dir)) for html in site_dir.rglob("*.html")
            if "<style" in html.read_text().partition("<body")[2]]
    assert late == []


def test_the_quiz_progress_box_is_built_where_the_quiz_script_would_move_it(site_dir):
    """At the top of the contents sidebar, not after the article: the script's move took a
    child out of the article, which restyles all of it."""
    pages = [html for html in site_dir.rglob("*.html") if 'id="quiz-progress-sidebar"' in html.read_text()]
    assert len(pages) >= 5
    for html in pages:
        text = html.read_text()
        sidebar = text.index('<div class="md-sidebar md-sidebar--secondary"')
        nav = re.compile(r'<nav class="md-nav md-nav--secondary"[^>]*>').search(text, sidebar)
        assert text.startswith('<div id="quiz-progress-sidebar"', nav.end()), html
        article = text.index('<article')
        assert 'id="quiz-progress-sidebar"' not in text[article:text.index("</article>", article)], html


def test_a_missing_page_asset_fails_the_build_naming_page_and_line(project_copy, tmp_path):
    page = project_copy / "docs" / "explorer.md"
    page.write_text("---\nscripts: [never_written.js]\n---\n\n# Explorer\n")
    result = mkdocs_build(project_copy / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "explorer.md:2: scripts: no such file 'assets/javascripts/never_written.js'" in result.stderr


def test_figures_reserve_their_space_and_only_the_first_loads_eagerly(site_dir):
    for html in site_dir.rglob("*.html"):
        figures = re.findall(r"<img\b[^>]*src=\"[^\"]*figures/[^\"]+\.svg\"[^>]*>", html.read_text())
        for k, img in enumerate(figures):
            assert re.search(r'\swidth="\d+"', img) and re.search(r'\sheight="\d+"', img), f"{html}: unsized {img[:90]}"
            assert ('loading="lazy"' in img) == (k > 0), f"{html}: figure {k} {img[:90]}"
