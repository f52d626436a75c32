"""The explorer: its traced-configuration network equals the library's, and the page works.

Library tests check `vanishing.explorer` (one network whose activation, initialization,
depth, residual and batch-norm choices are data) against `networks`/`gradients`, to
float64 precision. Browser tests drive docs/explorer.md in headless Chromium: every
control redraws, the drawn values equal the JSON, the URL keeps the state, presets and
the keyboard work, and the Listen control on the chapter pages degrades gracefully.
"""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import explorer, gradients, initializers, losses, networks

IN, WIDTH, OUT, MAX = 5, 6, 3, 7


def problem():
    x = jax.random.normal(jax.random.PRNGKey(1), (12, IN))
    y = jax.random.randint(jax.random.PRNGKey(2), (12,), 0, OUT)
    draws = explorer.standard_draws(jax.random.PRNGKey(0), IN, WIDTH, OUT, max_depth=MAX)
    return x, y, draws


def library_twin(params, activation, init, depth, residual, batchnorm):
    """The library's MLP with the first `depth` layers of the explorer's weights."""
    cfg = networks.MLPConfig(depth=depth, width=WIDTH, in_dim=IN, out_dim=OUT, activation=activation, init=init,
                             residual=residual, batchnorm=batchnorm)
    twin = dict(params)
    twin["w_hidden"], twin["b_hidden"] = params["w_hidden"][: depth - 1], params["b_hidden"][: depth - 1]
    twin["gamma"], twin["beta"] = params["gamma"][:depth], params["beta"][:depth]
    # Non-trivial biases and batch-norm parameters, so that every parameter is exercised.
    twin = jax.tree.map(lambda a: a + 0.1 * jnp.cos(jnp.arange(a.size).reshape(a.shape)), twin)
    full = dict(params)
    for name in ("b_in", "b_out", "w_in", "w_out"):
        full[name] = twin[name]
    for name, rows in (("w_hidden", depth - 1), ("b_hidden", depth - 1), ("gamma", depth), ("beta", depth)):
        full[name] = params[name].at[:rows].set(twin[name])
    return cfg, twin, full


CASES = [
    ("sigmoid", "standard_normal", 4, False, False),
    ("tanh", "xavier", 7, False, True),
    ("relu", "he", 3, True, False),
    ("leaky_relu", "he", 5, True, True),
    ("gelu", "xavier", 1, False, False),
    ("gelu", "standard_normal", 6, True, True),
]


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, c)) for c in CASES])
def test_loss_and_per_layer_gradients_equal_the_library_network(case):
    activation, init, depth, residual, batchnorm = case
    x, y, draws = problem()
    params = explorer.init_params(draws, explorer.INITS.index(init))
    cfg, twin, full = library_twin(params, *case)
    expected = gradients.layer_gradients(twin, cfg, x, y)
    got = explorer.layer_gradients(full, explorer.setting(*case), x, y)
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=1e-13)
    np.testing.assert_allclose(got["hidden_grad_rms"][:depth], expected["hidden_grad_rms"], rtol=1e-11)
    assert np.all(np.asarray(got["hidden_grad_rms"][depth:]) == 0)  # layers beyond the depth are skipped
    w = np.asarray(got["weight_grad_norm"])
    lib = np.asarray(expected["weight_grad_norm"])
    np.testing.assert_allclose(np.r_[w[:depth], w[-1]], lib, rtol=1e-11)
    assert np.all(w[depth:-1] == 0)


def test_initialization_scales_are_the_library_variances():
    _, _, draws = problem()
    for index, scheme in enumerate(explorer.INITS):
        params = explorer.init_params(draws, index)
        for name, (fan_in, fan_out) in {"w_in": (IN, WIDTH), "w_hidden": (WIDTH, WIDTH), "w_out": (WIDTH, OUT)}.items():
            ratio = params[name] / draws[name]
            np.testing.assert_allclose(ratio, np.sqrt(initializers.weight_variance(scheme, fan_in, fan_out)), rtol=1e-14)


def test_training_record_equals_sgd_on_the_library_network():
    x, y, draws = problem()
    case = ("tanh", "he", 4, True, True)
    params = explorer.init_params(draws, explorer.INITS.index("he"))
    cfg, twin, full = library_twin(params, *case)
    batches = jnp.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [3, 5, 7, 9]])
    rate = 0.3
    first_rms, history = explorer.train_record(full, explorer.setting(*case), x, y, batches, rate)

    def loss(p, idx):
        return losses.cross_entropy(networks.forward(p, cfg, x[idx])[0], y[idx])

    p, expected = twin, []
    for idx in batches:
        value, g = jax.value_and_grad(loss)(p, idx)
        expected.append(value)
        p = jax.tree.map(lambda a, b: a - rate * b, p, g)
    np.testing.assert_allclose(history, jnp.stack(expected), rtol=1e-11)
    rms0 = gradients.layer_gradients(twin, cfg, x[batches[0]], y[batches[0]])["hidden_grad_rms"]
    np.testing.assert_allclose(first_rms[:4], rms0, rtol=1e-11)
    np.testing.assert_allclose(explorer.train_losses(full, explorer.setting(*case), x, y, batches, rate), history,
                               rtol=1e-13)

    # A traced step count: later steps are skipped (NaN), earlier ones unchanged.
    _, short = explorer.train_record(full, explorer.setting(*case), x, y, batches, rate, steps=jnp.asarray(2))
    np.testing.assert_allclose(short[:2], history[:2], rtol=1e-13)
    assert np.all(np.isnan(np.asarray(short[2:])))


def test_a_vmapped_grid_equals_one_configuration_at_a_time():
    """Batched choices turn lax.switch/lax.cond into selects: the results must not change."""
    x, y, draws = problem()
    grid = explorer.stack([explorer.setting(*case) for case in CASES])

    def one(s):
        return explorer.layer_gradients(explorer.init_params(draws, s.init), s, x, y)["hidden_grad_rms"]

    batched = jax.vmap(one)(grid)
    for k, case in enumerate(CASES):
        np.testing.assert_allclose(batched[k], one(explorer.setting(*case)), rtol=1e-12)


def test_setting_rejects_unknown_choices():
    with pytest.raises(ValueError):
        explorer.setting("swish", "he", 3, False, False)
    with pytest.raises(ValueError):
        explorer.setting("relu", "he", explorer.MAX_DEPTH + 1, False, False)


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
        if "l" in entry:
            assert lines[1][1] == [v if v is None else min(v, 4) for v in entry["l"][0]]
        else:
            assert len(lines) == 1 and "computed only up to" in page.locator(".explorer-note").inner_text()
        assert drawn(page, "previous")[0] == (before, data["configs"][before]["g"][0])  # kept faintly
        before = key
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
    page.get_by_role("button", name="A 100-layer ResNet").click()
    assert page.locator("#explorer").get_attribute("data-config") == "relu-he-100-1-1"
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
def test_explorer_survives_instant_navigation(page, served_site):
    page.goto(served_site + "/")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.sameDocument = true")
    page.locator("nav.md-nav a[href$='explorer/']").first.click()
    page.wait_for_selector("#explorer[data-ready=true]", timeout=15_000)
    assert page.evaluate("window.sameDocument === true")
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


def test_the_figure_scripts_grids_label_every_configuration_correctly(monkeypatch):
    """explorer_data's two grids, shrunk, against one configuration computed on its own."""
    import explorer_data as ed
    from vanishing import data

    for name, value in dict(DEPTHS=(2, 3), TRAIN_DEPTHS=(2, 3), WIDTH=4, BATCH=8, STEPS=3, SEEDS=(0, 1)).items():
        monkeypatch.setattr(ed, name, value)
    (pairs, signal), (grid, curves) = ed.run_grid()
    x, y = data.digits()
    for a, i, d, r, b in [(1, 2, 3, 1.0, 0.0), (4, 0, 2, 0.0, 1.0)]:
        s = explorer.Setting(jnp.asarray(a), jnp.asarray(i), jnp.asarray(d), jnp.asarray(r), jnp.asarray(b))
        seed = 1
        draws = explorer.standard_draws(jax.random.PRNGKey(seed), 64, 4, 10)
        draws["w_hidden"] = draws["w_hidden"][: max(ed.TRAIN_DEPTHS) - 1]
        batches = explorer.batches_for_seed(seed, x.shape[0], 8, 3)
        rms, losses_ = explorer.train_record(explorer.init_params(draws, i), s, x, y, batches, ed.LEARNING_RATE)
        np.testing.assert_allclose(curves[grid.index((a, d, i, r, b)), seed], losses_, rtol=1e-10)
        np.testing.assert_allclose(signal[pairs.index((a, d)), ed.INNER.index((i, r, b)), seed, :d], rms[:d],
                                   rtol=1e-10)
