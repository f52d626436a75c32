"""The explorer: its traced-configuration network equals the library's, and the page works.

Library tests check `vanishing.explorer` (one network whose activation, initialization,
depth, residual and batch-norm choices are data) against `networks`/`gradients`, to
float64 precision. Browser tests drive docs/explorer.md in headless Chromium: every
control redraws, the drawn values equal the JSON, the URL keeps the state, presets and
the keyboard work.
"""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import explorer, gradients, initializers, losses, networks

IN, WIDTH, OUT = 5, 6, 3
LAYOUT = explorer.Layout((4, 1, 7, 3))  # depth 1 has no slots; 7 is the deepest


def problem():
    x = jax.random.normal(jax.random.PRNGKey(1), (12, IN))
    y = jax.random.randint(jax.random.PRNGKey(2), (12,), 0, OUT)
    draws = explorer.standard_draws(jax.random.PRNGKey(0), IN, WIDTH, OUT, max_depth=max(LAYOUT.depths))
    return x, y, draws


def perturbed(params):
    """Non-trivial biases and batch-norm parameters, so that every parameter is exercised."""
    return jax.tree.map(lambda a: a + 0.1 * jnp.cos(jnp.arange(a.size).reshape(a.shape)), params)


def library_twin(params, j, activation, init, residual, batchnorm):
    """Network j of the lane as the library's MLP: its config and its own parameters."""
    depth = LAYOUT.depths[j]
    cfg = networks.MLPConfig(depth=depth, width=WIDTH, in_dim=IN, out_dim=OUT, activation=activation, init=init,
                             residual=residual, batchnorm=batchnorm, branch_scale=explorer.BRANCH_SCALE)
    slots = np.flatnonzero(LAYOUT.slot_net == j)
    states = LAYOUT.states[j]
    return cfg, {
        "w_in": params["w_in"][j], "b_in": params["b_in"][j],
        "w_hidden": params["w_hidden"][slots], "b_hidden": params["b_hidden"][slots],
        "w_out": params["w_out"][j], "b_out": params["b_out"][j],
        "gamma": params["gamma"][states], "beta": params["beta"][states],
    }


CASES = [
    ("sigmoid", "standard_normal", False, False),
    ("tanh", "xavier", False, True),
    ("relu", "he", True, False),
    ("leaky_relu", "he", True, True),
    ("gelu", "xavier", False, False),
    ("gelu", "standard_normal", True, True),
]


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, c)) for c in CASES])
def test_every_packed_network_equals_the_library_network(case):
    x, y, draws = problem()
    params = perturbed(explorer.init_params(draws, explorer.INITS.index(case[1]), LAYOUT))
    got = explorer.layer_gradients(params, explorer.choice(*case), x, y, LAYOUT)
    signal = LAYOUT.per_network(got["hidden_grad_rms"])
    for j, depth in enumerate(LAYOUT.depths):
        cfg, twin = library_twin(params, j, *case)
        expected = gradients.layer_gradients(twin, cfg, x, y)
        np.testing.assert_allclose(got["loss"][j], expected["loss"], rtol=1e-13)
        np.testing.assert_allclose(signal[j], expected["hidden_grad_rms"], rtol=1e-11)
        weights = np.r_[got["w_in"][j], np.asarray(got["w_hidden"])[LAYOUT.slot_net == j], got["w_out"][j]]
        np.testing.assert_allclose(weights, expected["weight_grad_norm"], rtol=1e-11)


def test_deeper_networks_extend_shallower_ones_and_share_the_scheme_scales():
    _, _, draws = problem()
    for index, scheme in enumerate(explorer.INITS):
        params = explorer.init_params(draws, index, LAYOUT)
        for j in range(LAYOUT.nets):
            cfg, twin = library_twin(params, j, "relu", scheme, False, False)
            for name, (fan_in, fan_out) in {"w_in": (IN, WIDTH), "w_out": (WIDTH, OUT)}.items():
                ratio = twin[name] / draws[name]
                np.testing.assert_allclose(ratio, np.sqrt(initializers.weight_variance(scheme, fan_in, fan_out)),
                                           rtol=1e-14)
            # network j's hidden matrices are the first depth - 1 of the one draw
            ratio = twin["w_hidden"] / draws["w_hidden"][: cfg.depth - 1]
            np.testing.assert_allclose(ratio, np.sqrt(initializers.weight_variance(scheme, WIDTH, WIDTH)), rtol=1e-14)


def test_training_equals_sgd_on_each_library_network():
    x, y, draws = problem()
    case = ("tanh", "he", True, True)
    params = perturbed(explorer.init_params(draws, explorer.INITS.index("he"), LAYOUT))
    batches = jnp.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [3, 5, 7, 9]])
    rate = 0.3
    momentum = 0.5
    result = explorer.train(params, explorer.choice(*case), x, y, batches, rate, LAYOUT, momentum)
    history, first = result["loss"], LAYOUT.per_network(result["signal"])
    for j in range(LAYOUT.nets):
        cfg, twin = library_twin(params, j, *case)

        def loss(p, idx):
            return losses.cross_entropy(networks.forward(p, cfg, x[idx])[0], y[idx])

        p, velocity, expected = twin, jax.tree.map(jnp.zeros_like, twin), []
        for idx in batches:
            value, g = jax.value_and_grad(loss)(p, idx)
            expected.append(value)
            velocity = jax.tree.map(lambda v, d: momentum * v + d, velocity, g)
            p = jax.tree.map(lambda a, v: a - rate * v, p, velocity)
        np.testing.assert_allclose(history[:, j], jnp.stack(expected), rtol=1e-11)
        _, final = library_twin(result["params"], j, *case)
        for name in p:
            np.testing.assert_allclose(final[name], p[name], rtol=1e-10, atol=1e-14)
        rms0 = gradients.layer_gradients(twin, cfg, x[batches[0]], y[batches[0]])["hidden_grad_rms"]
        np.testing.assert_allclose(first[j], rms0, rtol=1e-11)


def test_a_vmapped_grid_equals_one_choice_at_a_time():
    """Batched choices turn lax.switch/lax.cond into selects: the results must not change."""
    x, y, draws = problem()
    grid = explorer.stack([explorer.choice(*case) for case in CASES])

    def one(c):
        return explorer.layer_gradients(explorer.init_params(draws, c.init, LAYOUT), c, x, y, LAYOUT)["hidden_grad_rms"]

    batched = jax.vmap(one)(grid)
    for k, case in enumerate(CASES):
        np.testing.assert_allclose(batched[k], one(explorer.choice(*case)), rtol=1e-12)


def test_bad_choices_and_layouts_are_rejected():
    with pytest.raises(ValueError, match="swish"):
        explorer.choice("swish", "he", False, False)
    with pytest.raises(ValueError, match="depths"):
        explorer.Layout((2, explorer.MAX_DEPTH + 1))
    with pytest.raises(ValueError, match="layers"):
        explorer.init_params(problem()[2], 0, explorer.Layout((2, 9)))


# ---------------------------------------------------------------- browser tests

@pytest.fixture
def data(site_dir):
    return json.loads((site_dir / "figures" / "data" / "explorer_data.json").read_text())


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


def test_the_figure_scripts_grid_labels_every_configuration_correctly(monkeypatch):
    """explorer_data's grid, shrunk, against single configurations computed on their own."""
    import explorer_data as ed
    from vanishing import data

    for name, value in dict(DEPTHS=(2, 3), WIDTH=4, BATCH=8, STEPS=3, SEEDS=(0, 1)).items():
        monkeypatch.setattr(ed, name, value)
    layout, signal, curves = ed.run_grid()
    x, y = data.digits()
    seed = 1
    draws = explorer.standard_draws(jax.random.PRNGKey(seed), 64, 4, 10, max_depth=3)
    batches = explorer.batches_for_seed(seed, x.shape[0], 8, 3)
    for a, i, r, b in [(1, 2, 1.0, 0.0), (4, 0, 0.0, 1.0)]:
        c = explorer.Choice(jnp.asarray(a), jnp.asarray(i), jnp.asarray(r), jnp.asarray(b))
        for j, depth in enumerate(ed.DEPTHS):
            alone = explorer.Layout((depth,))
            alone_result = explorer.train(explorer.init_params(draws, i, alone), c, x, y, batches, ed.LEARNING_RATE,
                                          alone)
            rms, losses_ = alone_result["signal"], alone_result["loss"]
            o, n = ed.OUTER.index((a, b)), ed.INNER.index((i, r))
            np.testing.assert_allclose(curves[o, n, seed, :, j], losses_[:, 0], rtol=1e-10)
            np.testing.assert_allclose(layout.per_network(signal[o, n, seed])[j], rms, rtol=1e-10)
