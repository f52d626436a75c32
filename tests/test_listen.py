"""The Listen control reads a chapter aloud: formulas in words, decimals whole, no clutter.

A stand-in for the browser's speech engine records every utterance (and ends each one at
once), so the test hears exactly what a reader would.
"""

import re

import pytest

pytestmark = pytest.mark.browser

CHAPTER = "/why-gradients-vanish/"


def fake_speech(voices: int = 1, auto_end: bool = True) -> str:
    """An init script replacing speechSynthesis with a recorder."""
    return f"""
    window.spoken = [];
    const engine = {{
      speaking: false, paused: false,
      getVoices: () => Array.from({{length: {voices}}}, () => ({{name: 'Recorder', lang: 'en'}})),
      addEventListener() {{}}, removeEventListener() {{}},
      speak(u) {{ window.spoken.push(u.text); this.speaking = true;
                  if ({str(auto_end).lower()}) Promise.resolve().then(() => {{ this.speaking = false; u.onend && u.onend(); }}); }},
      cancel() {{ this.speaking = false; }},
      pause() {{ this.paused = true; }}, resume() {{ this.paused = false; }},
    }};
    Object.defineProperty(window, 'speechSynthesis', {{value: engine, configurable: true}});
    window.SpeechSynthesisUtterance = function (text) {{ this.text = text; }};
    """


@pytest.fixture
def listening(browser, served_site):
    contexts = []

    def open_page(path=CHAPTER, **engine):
        context = browser.new_context()
        contexts.append(context)
        context.add_init_script(fake_speech(**engine))
        pg = context.new_page()
        pg.goto(served_site + path)
        pg.locator(".listen-control[data-available]").wait_for()
        return pg

    yield open_page
    for context in contexts:
        context.close()


def read_aloud(pg, section=""):
    pg.select_option(".listen-section", section)
    pg.get_by_role("button", name="Listen").click()
    pg.wait_for_function("() => document.querySelector('.listen-control').dataset.state === 'Finished.'")
    return pg.evaluate("window.spoken")


SHOWN_FORMULAS = """() => [...document.querySelectorAll('.md-content math')]
    .filter(m => !m.closest('table, pre, .quiz, details:not([open])'))
    .map(m => m.getAttribute('alttext'))"""


def test_every_formula_is_spoken_in_words_and_nothing_else_leaks(listening):
    pg = listening()
    spoken = read_aloud(pg)
    text = " ".join(spoken)
    formulas = pg.evaluate(SHOWN_FORMULAS)
    assert len(formulas) > 20
    unspoken = [f for f in formulas if f not in text]
    assert unspoken == []
    for utterance in spoken:
        assert not re.search(r"\d\.\s+\d", utterance), f"split decimal: {utterance!r}"
        assert not re.search(r"[\\$]|\{|\}", utterance), f"raw TeX: {utterance!r}"
        assert not re.search(r"\b(Submit|Reset|Quiz Complete|Try again)\b", utterance), f"quiz controls: {utterance!r}"
    for before, after in zip(spoken, spoken[1:]):
        assert not (re.search(r"\d\.$", before) and re.match(r"\d", after)), f"decimal split: {before!r} | {after!r}"
    headers = pg.evaluate("() => [...document.querySelectorAll('.md-content table tr:first-child')]"
                          ".map(r => [...r.cells].map(c => c.textContent.trim()).join(' '))")
    assert headers and not [h for h in headers if h and h in text], "a table was read"
    folded = pg.evaluate("() => document.querySelector('.md-content details:not([open]) p').textContent")
    assert folded.strip()[:40] not in text, "a closed box was read"


def test_an_opened_box_is_read_and_a_section_can_be_chosen(listening):
    pg = listening()
    section = pg.evaluate("""() => {
        for (const d of document.querySelectorAll('.md-content article > details.note')) {
          let e = d; while (e && e.tagName !== 'H2') e = e.previousElementSibling;
          if (e) { d.dataset.chosen = 'yes'; return e.id; }
        } }""")
    box = pg.locator("details[data-chosen=yes]")
    box.locator("summary").click()
    spoken = read_aloud(pg, section)
    first_paragraph = box.locator("p:not(.admonition-title)").first.evaluate(
        "p => p.textContent.replace(/\\s+/g, ' ').trim().slice(0, 30)")
    assert any(first_paragraph.split(" ")[0] in u for u in spoken)
    heading = pg.locator(f"#{section}").evaluate("h => h.firstChild.textContent.trim()")
    assert spoken[0].startswith(heading)
    assert pg.locator(".listen-current").count() == 0, "the outline goes when reading ends"


def test_pause_resume_and_stop(listening):
    pg = listening(auto_end=False)
    pg.get_by_role("button", name="Listen").click()
    status = pg.locator(".listen-status")
    assert status.inner_text().startswith("Reading:")
    assert pg.locator(".listen-current").count() == 1
    pg.get_by_role("button", name="Pause").click()
    assert status.inner_text() == "Paused." and pg.evaluate("speechSynthesis.paused")
    pg.get_by_role("button", name="Resume").click()
    assert status.inner_text() == "Reading." and not pg.evaluate("speechSynthesis.paused")
    pg.get_by_role("button", name="Stop").click()
    assert status.inner_text() == "Stopped." and pg.locator(".listen-current").count() == 0


def test_a_browser_without_a_voice_is_told_so(listening):
    pg = listening(voices=0)
    pg.wait_for_function("() => document.querySelector('.listen-control').dataset.available === 'false'")
    assert "offers no voice" in pg.locator(".listen-status").inner_text()
    assert pg.locator(".listen-status").get_attribute("aria-live") == "polite"
    assert pg.get_by_role("button", name="Listen").is_disabled()


def test_without_javascript_the_control_says_it_needs_it(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(served_site + CHAPTER)
    assert pg.locator(".listen-status").inner_text() == "Reading aloud needs JavaScript."
    assert pg.get_by_role("button", name="Listen").is_disabled()
    context.close()


def test_listen_only_on_chapters(page, served_site):
    for path in ("/", "/explorer/", "/glossary/"):
        page.goto(served_site + path)
        assert page.locator(".listen-control").count() == 0, path
