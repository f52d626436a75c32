"""JavaScript probes that tests run inside a page: what a reader would see, measured.

The site walks (conftest's `site_visits` and `site_visits_without_js`) run several of
these on each page during one visit, so the site is loaded once per walk, not once per
test.
"""

from harness import LOAD_IMAGES, OPEN_BOXES, RENDER_ALL  # noqa: F401  (re-exported)

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# The page drawn whole (RENDER_ALL), every figure loaded (LOAD_IMAGES), every folded box
# opened (OPEN_BOXES): defined with the walk they serve, in tools/harness.py.
RENDER_ALL_ON_LOAD = f"document.addEventListener('DOMContentLoaded', {RENDER_ALL});"  # an init script

# Formulas that are not MathML, or that are shown (not inside a closed box or a hidden
# quiz explanation) yet have no size.
UNDRAWN_MATH = """() => [...document.querySelectorAll('.md-content .arithmatex')]
    .filter(f => { const m = f.querySelector('math');
                   if (!m) return f.checkVisibility();  // folded (hooks/folded.py) yet on show
                   if (f.getClientRects().length === 0) return false;
                   const r = m.getBoundingClientRect(); return r.width < 2 || r.height < 2; })
    .map(f => f.textContent.slice(0, 60))"""

# Figure images on show (a widget may replace its static figure, e.g. the explorer's
# preview): the file the browser chose (`currentSrc`: the phone variant from `<picture>`
# where there is one) and its rendered content width in CSS px.
FIGURES_ON_PAGE = """() => Array.from(document.querySelectorAll('.md-content img[src*="figures/"]'))
  .filter(img => img.getClientRects().length > 0).map(img => {
  const style = getComputedStyle(img);
  const content = img.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
                  - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
  return {src: img.currentSrc, width: content};
})"""

# Widgets that draw their SVG inline (the steppers), serialized, with their rendered width.
INLINE_FIGURES = """() => Array.from(document.querySelectorAll('.md-content svg.stepper-svg')).map(svg => {
  const style = getComputedStyle(svg);
  const content = svg.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {svg: new XMLSerializer().serializeToString(svg), width: content};
})"""

# Returns a list of problems, one per (verdict, element kind), e.g.
# "scrolls without a hint in div.md-typeset__scrollwrap <- table (right edge 534 px)".
# An element may stick out of the screen only inside a box that scrolls sideways and
# shows that it does (the scroll shadows of extra.css: a gradient background at the edge
# with more to see).
FIND_OVERFLOW = """
() => {
  for (const box of document.querySelectorAll("article details")) box.open = true;
  const width = document.documentElement.clientWidth;
  const article = document.querySelector("article.md-content__inner");
  const scrolls = (style) => style.overflowX === "auto" || style.overflowX === "scroll";
  const clips = (style) => scrolls(style) || style.overflowX === "hidden" || style.overflowX === "clip";
  const outside = (rect) => rect.right > width + 1 || rect.left < -1;
  const visuallyHidden = (el) => {  // screen-reader-only text, e.g. assistive MathML
    for (let e = el; e && e !== article; e = e.parentElement) {
      const s = getComputedStyle(e);
      if ((s.clip && s.clip !== "auto") || (s.clipPath && s.clipPath !== "none") || s.visibility === "hidden") return true;
    }
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() +
    (typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\\s+/).join(".") : "");
  const problems = new Map();
  for (const el of article.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || !outside(rect) || visuallyHidden(el)) continue;
    let box = el.parentElement;
    while (box && box !== document.body && !clips(getComputedStyle(box))) box = box.parentElement;
    let verdict;
    if (!box || box === document.body) verdict = "makes the page wider than the screen";
    else if (!scrolls(getComputedStyle(box))) verdict = "is cut off by " + name(box);
    else if (outside(box.getBoundingClientRect())) continue;  // the scrolling box is itself checked
    else if (!getComputedStyle(box).backgroundImage.includes("gradient")) verdict = "scrolls without a hint in " + name(box);
    else continue;
    const key = `${verdict} <- ${name(el)}`;
    if (!problems.has(key)) problems.set(key, `${key} (right edge ${Math.round(rect.right)} px)`);
  }
  return [...problems.values()];
}
"""

# Without JavaScript: each quiz shows its question and options, and no Submit button that
# cannot work, but a note saying quizzes need JavaScript.
QUIZZES_WITHOUT_JS = """() => ({
  quizzes: [...document.querySelectorAll('.md-content .quiz')].map(q => ({
    question: !!q.querySelector('.quiz-question')?.checkVisibility(),
    option: !!q.querySelector('input[type=radio], input[type=text]')?.checkVisibility(),
    buttons: [...q.querySelectorAll('.quiz-button')].filter(b => b.checkVisibility()).length,
  })),
  notes: document.querySelectorAll('.md-content .quiz-nojs-note').length,
})"""

CAPTIONS = "() => [...document.querySelectorAll('.md-content figure')].map(f => (f.querySelector('figcaption') || {}).textContent || '')"

# ---- axe-core, run as a probe -----------------------------------------------------------
# axe-core ships inside the axe-playwright-python wheel (no download). Colour contrast is
# by far its slowest rule (it inspects every element with text), and a formula is
# thousands of such elements (one per letter or sign) that inherit the colour of the
# sentence around them (math.css sets no colour; tests/test_math.py checks), so formulas
# are left out and contrast is checked on the sentence. Only colours change between the
# schemes: in dark mode only the colour rules run.
PAGE_WITHOUT_FORMULAS = {"exclude": [["math"]]}
COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
# On a touch screen (no hover), Material makes no code block a tab stop, even one that
# scrolls sideways, and a11y.js makes a wide formula one only as it nears the screen (see
# there); so this rule is checked on a wide screen (test_accessibility.py), not on a phone.
PHONE_RULES = {"rules": {"scrollable-region-focusable": {"enabled": False}}}

# Colours measured mid-fade would be neither scheme's: the theme fades link colours.
NO_TRANSITIONS = ("() => { const s = document.createElement('style'); s.textContent = "
                  "'*, *::before, *::after { transition: none !important; animation: none !important; }'; "
                  "document.head.append(s); }")
# The reader's own toggle in the header (the one on show) switches to the other scheme.
SWITCH_SCHEME = """() => {
  [...document.querySelectorAll('label.md-header__button[for^=__palette]')].find(l => l.checkVisibility()).click();
  return document.body.getAttribute('data-md-color-scheme');
}"""


def axe_probe(label: str, scope: dict, options: dict) -> str:
    """A probe that runs axe-core (its `scope` of the page, with these `options`) on the
    page as it is now and returns its serious and critical findings, one line each,
    starting with `label`."""
    import json
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], **options}
    return f"""async () => {{
  if (!window.axe) {{ {Axe().axe_script} }}
  const found = await axe.run({json.dumps(scope)}, {json.dumps(options)});
  return found.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v =>
    `{label}: ${{v.id}} (${{v.impact}}): ${{v.help}} -- ${{JSON.stringify(v.nodes.slice(0, 3).map(n => n.target))}}: ` +
    (v.nodes[0].any[0] || v.nodes[0].all[0] || {{message: ''}}).message.slice(0, 90));
}}"""


def axe_in_both_schemes(scope: dict, light: dict, dark: dict) -> dict[str, str]:
    """Probes, in order: transitions off, axe in the light scheme (`light` options), the
    reader's toggle to dark (its value: the scheme now shown), axe again (`dark` options)."""
    return {"still": NO_TRANSITIONS, "axe_light": axe_probe("light", scope, light),
            "dark_scheme": SWITCH_SCHEME, "axe_dark": axe_probe("dark", scope, dark)}
