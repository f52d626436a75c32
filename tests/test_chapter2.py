"""Chapter 2's experiments: exact gradients, bounds respected, and the claims the page makes."""

import importlib.util
import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from conftest import PROJECT
from vanishing import gradients, losses, networks


def figure_script(name):
    """Import scripts/<name>.py, so tests check the very code that draws the figure."""
    spec = importlib.util.spec_from_file_location(f"figure_{name}", PROJECT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_data(figures_dir, name):
    return json.loads((figures_dir / "data" / f"{name}.json").read_text())


def test_per_layer_gradients_of_a_deep_sigmoid_chain_match_finite_differences():
    cfg = networks.MLPConfig(depth=8, width=3, in_dim=2, out_dim=2, activation="sigmoid", init="standard_normal")
    params = networks.init_params(jax.random.PRNGKey(4), cfg)
    x = jax.random.normal(jax.random.PRNGKey(5), (6, 2))
    y = jnp.array([0, 1, 1, 0, 1, 0])
    measured = gradients.layer_gradients(params, cfg, x, y)["weight_grad_norm"]

    @jax.jit
    def loss(p):
        return losses.cross_entropy(networks.forward(p, cfg, x)[0], y)

    def finite_difference_norm(name, index=()):
        w = params[name][index] if index != () else params[name]
        grad = np.zeros(w.shape)
        eps = 1e-5
        for pos in np.ndindex(w.shape):
            full = index + pos
            plus = loss(params | {name: params[name].at[full].add(eps)})
            minus = loss(params | {name: params[name].at[full].add(-eps)})
            grad[pos] = (plus - minus) / (2 * eps)
        return np.linalg.norm(grad)

    # First layer, a middle layer, and the last hidden layer of the chain.
    assert float(measured[0]) == pytest.approx(finite_difference_norm("w_in"), rel=1e-5)
    assert float(measured[4]) == pytest.approx(finite_difference_norm("w_hidden", (3,)), rel=1e-5)
    assert float(measured[7]) == pytest.approx(finite_difference_norm("w_hidden", (6,)), rel=1e-5)
    assert measured[0] < 1e-2 * measured[7], "the chain should show a vanishing gradient"


def test_measured_sigmoid_shrink_factor_lies_inside_the_chain_rule_bound():
    script = figure_script("gradient_flow_by_activation")
    result = script.measure("sigmoid")
    assert np.all(result["ratio"] <= result["bound"])
    # And the typical factor is close to, and below, the sigmoid's largest slope 1/4.
    typical = script.geometric_mean(result["ratio"])
    assert 0.15 < typical < 0.25


def test_rnn_gradient_through_time_decreases_with_distance(figures_dir):
    data = load_data(figures_dir, "rnn_gradient_through_time")
    median = np.median(np.array(data["gain_1"]), axis=0)  # by steps back, k = 0 .. length-1
    assert np.all(median[5:] < median[:-5]), "every 5 steps further back, the signal is weaker"
    assert median[50] < 0.05 * median[0]
    shrinking = np.median(np.array(data["gain_0.5"]), axis=0)
    assert np.all(np.diff(shrinking) < 0)


def test_deep_sigmoid_network_stalls_while_relu_learns(figures_dir):
    data = load_data(figures_dir, "deep_network_training")
    assert np.median(data["sigmoid"]["accuracy"]) < 0.2
    assert np.median(data["relu"]["accuracy"]) > 0.9
    first_change = np.median([run[0] for run in data["sigmoid"]["final_weight_change"]])
    last_change = np.median([run[data["setup"]["depth"] - 1] for run in data["sigmoid"]["final_weight_change"]])
    assert first_change < 1e-2 * last_change


def test_random_matrix_products_grow_at_the_exact_expected_rate(figures_dir):
    script = figure_script("exploding_gradients")
    data = load_data(figures_dir, "exploding_gradients")
    for gain in script.MATRIX_GAINS:
        logs = np.array(data["matrix_log10_norms"][f"{gain:g}"])
        measured = np.median(logs[:, -1]) / script.MATRIX_PRODUCT_LENGTH
        assert measured == pytest.approx(script.theory_log10_per_matrix(gain), abs=0.004)


def test_the_gain_decides_between_vanishing_and_exploding(figures_dir):
    data = load_data(figures_dir, "exploding_gradients")["network_signal"]
    first_over_last = {g: np.median(np.array(v)[:, 0] / np.array(v)[:, -1]) for g, v in data.items()}
    assert first_over_last["0.5"] < 1e-6 and first_over_last["2"] > 10


def test_chapter_two_has_enough_figures_and_tables():
    page = (PROJECT / "docs" / "why-gradients-vanish.md").read_text()
    assert page.count("](figures/") >= 6
    assert page.count('--8<-- "figures/tables/') >= 2
    assert "What primarily causes the vanishing gradient problem in deep neural networks?" in page
    assert page.count("<quiz>") >= 6


def test_weight_gradient_is_signal_times_slope_times_input():
    """The page's formula for a chain of single neurons, checked against jax.grad."""
    cfg = networks.MLPConfig(depth=6, width=1, in_dim=1, out_dim=1, activation="sigmoid", init="standard_normal")
    params = networks.init_params(jax.random.PRNGKey(3), cfg)
    x, y = jnp.array([[0.7]]), jnp.array([[0.2]])
    out = gradients.layer_gradients(params, cfg, x, y, loss="mse")
    _, trace = networks.forward(params, cfg, x)
    signal, z = out["hidden_grad_rms"], trace["z"][:, 0, 0]
    inputs = jnp.concatenate([x[0], trace["h"][:-1, 0, 0]])
    slope = jax.nn.sigmoid(z) * (1 - jax.nn.sigmoid(z))
    np.testing.assert_allclose(out["weight_grad_norm"][: cfg.depth], signal * slope * jnp.abs(inputs), rtol=1e-10)


def test_relu_weight_gradient_stays_level_while_its_signal_fades(figures_dir):
    d = load_data(figures_dir, "deep_network_training")["at_start"]
    first = {name: {k: np.array(v)[:, 0] / np.array(v)[:, -1] for k, v in d[name].items()} for name in d}
    assert np.all(first["relu"]["signal"] < 0.1)  # every seed: the signal at layer 1 fades...
    assert np.all(first["relu"]["weight"] > 0.5) and np.median(first["relu"]["weight"]) > 1  # ...its weight gradient stays level
    assert np.all(first["relu"]["weight"] > 10 * first["relu"]["signal"])
    assert np.all(first["relu"]["input"] > 10)  # because layer 1's inputs are far larger
    assert np.all(first["sigmoid"]["weight"] < 1e-3) and np.all(first["sigmoid"]["signal"] < 1e-3)


def test_adam_moves_every_layer_but_neither_optimizer_rescues_the_sigmoid_network(figures_dir):
    import deep_network_training as dnt

    d = load_data(figures_dir, "deep_network_training")
    names = ("sigmoid", "per_layer", "adam")
    moved = {name: np.array(d[name]["final_weight_change"]) for name in names}  # (seeds, layers)
    accuracy = {name: np.array(d[name]["accuracy"]) for name in (*names, "relu")}
    final = {name: np.array(d[name]["loss_every_10"])[:, -5:].mean(axis=1) for name in names}
    assert np.all(moved["sigmoid"][:, 0] < 1e-4)  # plain SGD: the first layer barely moves
    assert np.all(moved["adam"][:, : dnt.DEPTH] > 0.3)  # Adam moves every layer
    assert np.median(final["adam"]) < np.log(10) - 0.2  # its loss falls below guessing...
    assert np.median(accuracy["adam"]) < 0.5 < np.median(accuracy["relu"])  # ...but it stays poor
    assert np.all(moved["per_layer"][:, 0] > 10)  # per-layer rates throw the first layer far away
    assert np.median(accuracy["per_layer"]) < 0.2 and np.median(final["per_layer"]) > np.log(10) - 0.05


@pytest.mark.parametrize("chapter", ["why-gradients-vanish", "fixing-vanishing-gradients"])
def test_the_stated_reading_time_is_the_measured_one(site_dir, chapter):
    """The times a chapter states are written by hooks/reading_time.py from the built page."""
    import math
    import re

    from reading import core_path

    html = (site_dir / chapter / "index.html").read_text()
    measured = core_path(html)
    stated = re.search(r'<span class="reading-time">(\d+)</span>', html)
    study = re.search(r'<span class="study-time">(\d+)</span>', html)
    assert stated and stated.start() < html.index("<h2"), f"{chapter}: no reading time before the first section"
    assert int(stated.group(1)) == math.ceil(measured.minutes)
    assert study and int(study.group(1)) == 5 * math.ceil(measured.study_minutes / 5)