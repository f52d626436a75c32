"""The explorer page works (its packed networks are tested in test_packed.py).

Browser tests drive docs/explorer.md in headless Chromium: every control redraws, the drawn values equal the JSON, the URL keeps the state, presets and
the keyboard work, and the Listen control on the chapter pages degrades gracefully.
"""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import packed


# ---------------------------------------------------------------- browser tests

CHAPTERS = ("/gradients-drive-learning/", "/why-gradients-vanish/", "/fixing-vanishing-gradients/")


@pytest.fixture
def data(site_dir):
    return json.loads((site_dir / "figures" / "data" / "explorer.json").read_text())


def open_explorer(pg, served_site, query=""):
    pg.goto(f"{served_site}/explorer/{query}")
    pg.wait_for_selector("#explorer[data-ready=true]", timeout=15_000)


def drawn(pg, role="current"):
    """(config key, median values) of each chart's line for `role`, as drawn."""
    lines = pg.locator(f"#explorer path.explorer-line[data-role={role}]")
    return [(lines.nth(k).get_attribute("data-config"), json.loads(lines.nth(k).get_attribute("data-values")))
            for k in range(lines.count())]


def point_count(pg):
    return pg.locator("#explorer path.explorer-line[data-role=current]").first.get_attribute("d").count("L") + 1


@pytest.mark.browser
def test_each_control_redraws_with_the_json_values(page, served_site, data):
    open_explorer(page, served_site)
    assert page.locator(".explorer-static").is_hidden()
    steps = [
        ("select", "#explorer-activation", "tanh"),
        ("select", "#explorer-init", "xavier"),
        ("select", "#explorer-depth", "5"),
        ("check", "#explorer-residual", None),
        ("check", "#explorer-batchnorm", None),
        ("select", "#explorer-depth", "50"),
    ]
    before = page.locator("#explorer").get_attribute("data-config")
    for kind, selector, value in steps:
        if kind == "select":
            page.select_option(selector, value)
        else:
            page.check(selector)
        key = page.locator("#explorer").get_attribute("data-config")
        assert key != before, f"{selector} did not change the configuration"
        entry = data["configs"][key]
        lines = drawn(page)
        assert lines[0] == (key, entry["g"][0])
        depth = int(key.split("-")[2])
        assert len(entry["g"][0]) == depth and point_count(page) == depth
        assert lines[1][1] == [v if v is None else min(v, 4) for v in entry["l"][0]]  # every depth has a curve
        assert drawn(page, "previous")[0] == (before, data["configs"][before]["g"][0])  # kept faintly
        before = key
    assert page.problems == []


def js_number(value: float) -> str:
    """How JavaScript prints a number: 427.0 as '427', 13.7 as '13.7'."""
    return str(int(value)) if float(value).is_integer() else repr(value)


@pytest.mark.browser
def test_the_loss_note_says_what_the_chart_cannot_show(page, served_site, data):
    """Found in the JSON, not hard-coded: a run whose median diverged, one where only some
    seed diverged, and one whose losses leave the chart (capped at 4)."""
    configs = data["configs"]

    def first(condition):
        return next(k for k, v in configs.items() if condition(v["l"]))

    cases = {
        first(lambda l: None in l[0]): "Training diverged: the loss became",
        first(lambda l: None not in l[0] and None in l[2]): "diverged for at least one seed",
        first(lambda l: None not in l[2] and min(l[0]) > 4): "Median loss at the first step: ",
    }
    for key, message in cases.items():
        a, i, d, r, b = key.split("-")
        open_explorer(page, served_site, f"?a={a}&i={i}&d={d}&r={r}&b={b}")
        note = page.locator(".explorer-note").inner_text()
        assert message in note, (key, note)
        if message.startswith("Median"):
            first_loss, last_loss = (js_number(configs[key]["l"][0][k]) for k in (0, -1))
            assert f"{first_loss}; at the last: {last_loss}." in note
    assert page.locator(".explorer-guess line").count() == 1  # the loss of guessing is marked
    assert page.problems == []


@pytest.mark.browser
def test_the_url_restores_a_view(page, served_site, data):
    open_explorer(page, served_site, "?a=gelu&i=he&d=20&r=1&b=0")
    assert page.locator("#explorer").get_attribute("data-config") == "gelu-he-20-1-0"
    assert page.locator("#explorer-activation").input_value() == "gelu"
    assert page.locator("#explorer-residual").is_checked()
    assert drawn(page)[0][1] == data["configs"]["gelu-he-20-1-0"]["g"][0]
    page.select_option("#explorer-depth", "2")
    assert "d=2" in page.url and "a=gelu" in page.url
    page.reload()
    page.wait_for_selector("#explorer[data-ready=true]")
    assert page.locator("#explorer").get_attribute("data-config") == "gelu-he-2-1-0"


@pytest.mark.browser
def test_presets_and_keyboard_only_use(page, served_site, data):
    open_explorer(page, served_site)
    page.get_by_role("button", name="A 100-layer residual network").click()
    assert page.locator("#explorer").get_attribute("data-config") == "tanh-xavier-100-1-1"
    assert point_count(page) == 100
    page.get_by_role("button", name="ReLU with He initialization").focus()
    page.keyboard.press("Enter")
    assert page.locator("#explorer").get_attribute("data-config") == "relu-he-10-0-0"
    # Tab into the form and change things with keys only.
    page.locator("#explorer-activation").focus()
    page.keyboard.press("ArrowDown")  # relu -> leaky ReLU
    assert page.locator("#explorer").get_attribute("data-config") == "leaky_relu-he-10-0-0"
    page.keyboard.press("Tab")  # initialization
    page.keyboard.press("Tab")  # depth
    page.keyboard.press("Tab")  # residual checkbox
    page.keyboard.press("Space")
    assert page.locator("#explorer").get_attribute("data-config") == "leaky_relu-he-10-1-0"
    assert page.get_by_label("Activation").count() == 1 and page.get_by_label("batch norm").count() == 1
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("path", CHAPTERS)
def test_listen_control_on_chapter_pages_degrades_gracefully(page, served_site, path):
    page.goto(served_site + path)
    control = page.locator(".listen-control")
    control.wait_for(timeout=10_000)
    assert control.count() == 1
    assert page.get_by_role("button", name="Listen").count() == 1
    page.wait_for_function("() => document.querySelector('.listen-control').dataset.available !== undefined",
                           timeout=5_000)
    available = control.get_attribute("data-available")
    status = control.locator(".listen-status")
    if available == "false":
        assert "not available" in status.inner_text() and status.get_attribute("aria-live") == "polite"
        assert page.get_by_role("button", name="Listen").is_disabled()
    else:
        page.get_by_role("button", name="Listen").click()
        assert "Reading" in status.inner_text()
        page.get_by_role("button", name="Stop").click()
        assert "Stopped" in status.inner_text()
    assert page.problems == []


@pytest.mark.browser
def test_listen_control_only_on_chapters(page, served_site):
    page.goto(served_site + "/explorer/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".listen-control").count() == 0


def test_the_figure_scripts_grid_labels_every_configuration_correctly(monkeypatch):
    """explorer_data's grid, shrunk, against single configurations computed on their own."""
    import explorer_data as ed
    from vanishing import data

    for name, value in dict(DEPTHS=(2, 3), WIDTH=4, BATCH=8, STEPS=3, SEEDS=(0, 1)).items():
        monkeypatch.setattr(ed, name, value)
    layout, signal, curves = ed.run_grid()
    x, y = data.digits()
    seed = 1
    draws = packed.standard_draws(jax.random.PRNGKey(seed), 64, 4, 10, max_depth=3)
    batches = packed.batches_for_seed(seed, x.shape[0], 8, 3)
    for a, i, r, b in [(1, 2, 1.0, 0.0), (4, 0, 0.0, 1.0)]:
        c = packed.Choice(jnp.asarray(a), jnp.asarray(i), jnp.asarray(r), jnp.asarray(b), ed.BRANCH_SCALE)
        for j, depth in enumerate(ed.DEPTHS):
            alone = packed.Layout((depth,))
            alone_result = packed.train(packed.init_params(draws, i, alone), c, x, y, batches, ed.LEARNING_RATE,
                                          alone)
            rms, losses_ = alone_result["signal"], alone_result["loss"]
            o, n = ed.OUTER.index((a, b)), ed.INNER.index((i, r))
            np.testing.assert_allclose(curves[o, n, seed, :, j], losses_[:, 0], rtol=1e-10)
            np.testing.assert_allclose(layout.per_network(signal[o, n, seed])[j], rms, rtol=1e-10)
