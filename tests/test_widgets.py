"""The step-through widgets and the figure enlarger, in headless Chromium, by keyboard alone."""

import json
import re

import pytest

pytestmark = pytest.mark.browser

SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def shown_number(text: str) -> tuple[float, float]:
    """Parse '6.6 × 10⁻⁶' or '−0.0019'; return the value and half a unit of its last digit."""
    text = text.strip().replace("−", "-").translate(SUPERSCRIPTS)
    match = re.fullmatch(r"(-?\d+(?:\.(\d+))?)(?: × 10(-?\d+))?", text)
    assert match, text
    scale = 10.0 ** int(match.group(3)) if match.group(3) else 1.0
    decimals = len(match.group(2) or "")
    return float(match.group(1)) * scale, 0.5 * 10.0 ** -decimals * scale


def test_backprop_stepper_shows_the_generated_running_product_at_every_step_by_keyboard(page, served_site, site_dir):
    data = json.loads((site_dir / "figures" / "data" / "backprop_chain.json").read_text())
    products, depth = data["plain"]["product"], data["setup"]["depth"]
    page.goto(served_site + "/why-gradients-vanish/")
    page.wait_for_selector(".backprop-stepper.is-live svg.stepper-svg")
    root = page.locator(".backprop-stepper")
    step = root.get_by_role("button", name="Step back one layer")
    # Reach the Step button with the keyboard: focus the figure's enlarge link, then Tab.
    page.locator(".backprop-stepper a.figure-zoom").focus()
    for _ in range(5):
        if page.evaluate("document.activeElement.textContent") == "Step back one layer":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Step back one layer"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused button shows where the focus is"
    result = page.locator(".backprop-stepper .stepper-result")
    for steps in range(depth):
        at = depth - steps
        expected = 1.0 if at == depth else products[at - 1]
        value, tolerance = shown_number(result.inner_text())
        assert abs(value - expected) <= tolerance * (1 + 1e-9), (steps, result.inner_text(), expected)
        assert page.locator(".backprop-stepper .stepper-factor.is-current").count() == (1 if steps else 0)
        current = page.locator(f"#backprop_chain-arrow-{at + 1 if steps else depth + 1}")
        assert current.get_attribute("class") == "is-current"
        if steps < depth - 1:
            page.keyboard.press("Enter")
            page.wait_for_function(f"document.querySelector('.stepper-lhs sub').textContent === '{at - 1}'")
    assert step.is_disabled(), "the last layer reached: nothing further to step"
    page.keyboard.press("Tab")  # Play
    page.keyboard.press("Tab")  # Reset
    page.keyboard.press("Space")
    page.wait_for_function("document.querySelector('.stepper-lhs sub').textContent === '%d'" % depth)
    assert result.inner_text() == "1"
    play = root.get_by_role("button", name="Play")
    play.focus()
    page.keyboard.press("Enter")
    assert root.get_by_role("button", name="Pause").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    assert root.get_by_role("button", name="Play").get_attribute("aria-pressed") == "false"
    assert page.problems == []


def test_without_javascript_the_complete_static_diagram_shows(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "/why-gradients-vanish/")
    img = page.locator('.backprop-stepper img[src*="backprop_chain.svg"]')
    assert img.is_visible()
    assert page.locator(".backprop-stepper button").count() == 0
    context.close()


def test_a_figure_enlarges_in_a_dialog_and_closes_with_escape(page, served_site):
    page.goto(served_site + "/why-gradients-vanish/")
    link = page.locator('a.figure-zoom[href$="activation_derivatives.svg"]')
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.figure-zoom-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("img").get_attribute("src").endswith("activation_derivatives.svg")
    caption = page.locator('figure:has(a.figure-zoom[href$="activation_derivatives.svg"]) figcaption')
    assert dialog.locator(".figure-zoom-caption").text_content().split() == caption.text_content().split(), \
        "the caption comes along"
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("activation_derivatives.svg")
    assert page.problems == []


@pytest.mark.parametrize("stem", ["gradient_descent_quadratic_steps", "gradient_descent_ill_conditioned_steps"])
def test_gradient_descent_stepper_steps_by_keyboard_and_asks_for_a_prediction_first(page, served_site, site_dir, stem):
    data = json.loads((site_dir / "figures" / "data" / f"{stem}.json").read_text())
    page.goto(served_site + "/gradients-drive-learning/")
    root = page.locator(f'.gd-stepper[data-src$="{stem}.json"]')
    root.evaluate("r => { for (let d = r.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }")
    root.scroll_into_view_if_needed()  # blocks far from the screen are not drawn (content-visibility)
    root.locator("svg.stepper-svg").wait_for()
    status = root.locator(".stepper-status")
    next_step = root.get_by_role("button", name="Next step")
    radios = root.locator(".stepper-choose input[type=radio]")
    radios.first.focus()
    for run, record in enumerate(data["runs"]):
        if run:
            page.keyboard.press("ArrowDown")  # the next learning rate (radio group, keyboard)
        assert radios.nth(run).is_checked()
        if run == data["predict"]:
            assert next_step.is_disabled(), "the diverging run waits for a prediction"
            hidden = root.locator(f'[id^="{stem}-run{run}-point"].is-hidden').count()
            assert hidden == len(record["points"]), "its path stays hidden until revealed"
            guess = root.locator(".stepper-predict input[type=radio]").first
            guess.focus()
            page.keyboard.press("Space")
            root.get_by_role("button", name="Reveal").focus()
            page.keyboard.press("Enter")
            assert record["regime"] in root.locator(".stepper-verdict").inner_text()
        next_step.focus()
        for k in range(len(record["points"])):
            assert status.get_attribute("data-step") == str(k)
            assert float(status.get_attribute("data-value")) == record["values"][k]
            shown = [float(t) for t in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?",
                                                  status.inner_text().replace("−", "-").split(":", 1)[1])]
            expected = [*record["points"][k], record["values"][k]]
            assert shown == pytest.approx(expected, rel=5e-3, abs=1e-12), (status.inner_text(), expected)
            assert root.locator(f'[id="{stem}-run{run}-point{k}"]').get_attribute("class") == "is-current"
            if k + 1 < len(record["points"]):
                page.keyboard.press("Enter")
        assert next_step.is_disabled()
        radios.nth(run).focus()
    assert page.problems == []
