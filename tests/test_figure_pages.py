"""hooks/figure_pages.py: a code box under every figure, phone variants, enlarge links, widgets."""

import sys

import pytest

from conftest import PROJECT, SITE_SOURCES, copy_sources, link_shared, mkdocs_build
from page_probes import RENDER_ALL

sys.path.insert(0, str(PROJECT / "hooks"))
import figure_pages  # noqa: E402

SCRIPTS = PROJECT / "scripts"

PAGE = """# A page

<figure markdown="span">
  ![A long enough description of the figure for a screen reader.](figures/{stem}.svg){{ width="700" }}
  <figcaption markdown>What to notice.</figcaption>
</figure>

More prose.
"""


def test_a_figure_gets_its_own_section_else_its_scripts_section():
    page, problems = figure_pages.add_code_boxes(PAGE.format(stem="relu_vs_sigmoid_dead_fraction"), SCRIPTS)
    assert problems == []
    assert '--8<-- "scripts/relu_vs_sigmoid.py:relu_vs_sigmoid_dead_fraction"' in page
    assert page.index("</figure>") < page.index('??? example "The code behind this figure')
    page, problems = figure_pages.add_code_boxes(PAGE.format(stem="deep_network_training_speed"), SCRIPTS)
    assert problems == [] and '--8<-- "scripts/deep_network_training.py:deep_network_training"' in page


def test_every_figure_script_marks_the_code_of_each_of_its_figures(figures_dir):
    missing = []
    for svg in sorted(figures_dir.glob("*.svg")):
        stem = svg.name.split(".")[0]
        script = figure_pages.script_for(stem, SCRIPTS)
        if script is None or figure_pages.code_section(stem, script) is None:
            missing.append(svg.name)
    assert missing == []


def test_a_figure_without_a_code_section_is_named_with_page_and_line(tmp_path):
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "unmarked.py").write_text("def build(out):\n    pass\n")
    _, problems = figure_pages.add_code_boxes(PAGE.format(stem="unmarked_plot"), scripts, offset=3)
    assert len(problems) == 1
    line, message = problems[0]
    assert line == 7 and "figures/unmarked_plot.svg" in message and "scripts/unmarked.py" in message
    assert "# --8<-- [start:unmarked_plot]" in message


@pytest.mark.slow
def test_a_missing_code_section_fails_the_build_naming_page_and_line(tmp_path, figures_dir):
    copy_sources(tmp_path, SITE_SOURCES + ("docs",))
    (tmp_path / "figures").symlink_to(figures_dir)
    scripts = tmp_path / "scripts"
    copy_sources(tmp_path, ("scripts",))
    link_shared(tmp_path)
    source = (scripts / "derivative_as_slope.py").read_text()
    (scripts / "derivative_as_slope.py").write_text(source.replace("# --8<-- [end:derivative_as_slope]\n", ""))
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    page = (tmp_path / "docs" / "gradients-drive-learning.md").read_text().split("\n")
    line = next(i for i, text in enumerate(page, 1) if "figures/derivative_as_slope.svg" in text)
    assert f"gradients-drive-learning.md:{line}: figure 'figures/derivative_as_slope.svg' has no code section" in result.stderr


def test_built_figures_are_pictures_with_a_phone_source_inside_an_enlarge_link(site_dir):
    html = (site_dir / "why-gradients-vanish" / "index.html").read_text()
    assert '<a class="figure-zoom" href="../figures/activation_derivatives.svg"' in html
    assert '<source media="(max-width: 44.9375em)" srcset="../figures/activation_derivatives.phone.svg">' in html
    assert "figure-zoom.js" in html and "backprop-stepper.js" in html and "backprop-stepper.css" in html
    assert "The code behind this figure" in html
    home = (site_dir / "index.html").read_text()
    assert "backprop-stepper.js" not in home, "widget code only where the widget is"


def test_the_hook_and_the_style_agree_on_the_phone_breakpoint():
    from vanishing import style

    assert figure_pages.PHONE_MEDIA == style.PHONE_MEDIA


def test_code_listings_stay_out_of_the_page_until_their_box_opens(page, served_site):
    """A chapter's folded listings wait as <noscript> text (hooks/folded.py: styling them
    at load was most of the chapter's blocking time on a phone). Opening a box by keyboard puts the script's
    real lines in, with Material's copy button; printing puts every listing in."""
    page.goto(served_site + "/why-gradients-vanish/")
    page.wait_for_load_state("networkidle")
    page.evaluate(RENDER_ALL)  # nothing moves under the clicks (page_probes.py)
    boxes = page.locator("details.example")  # on this page, all are code boxes
    total = boxes.count()
    assert total >= 10 and page.locator("details.example > noscript.folded").count() == total
    assert page.locator("details.example .highlight").count() == 0, "a listing was in the page at load"
    box = boxes.nth(1)
    box.locator("summary").focus()
    page.keyboard.press("Enter")
    lines = box.locator("pre code").inner_text().splitlines()
    source = (PROJECT / box.locator("summary code").inner_text()).read_text()
    assert len(lines) > 3 and all(line in source for line in lines if line.strip())
    box.get_by_role("button", name="Copy to clipboard").click()
    page.locator(".md-dialog", has_text="Copied to clipboard").wait_for()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("noscript.folded").count() == 0
    assert page.locator("details.example .highlight").count() == total
    assert page.problems == []


def test_without_javascript_an_opened_code_box_shows_its_listing(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "/why-gradients-vanish/")
    box = page.locator("details.example").first
    box.locator("summary").click()
    assert box.locator(".highlight pre code").is_visible()
    assert "def " in box.locator(".highlight pre code").inner_text()
    context.close()
