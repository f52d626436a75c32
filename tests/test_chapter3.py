"""Chapter 3 (fixes): the new library code against closed forms, and the claims the page makes.

The claims are checked on the generated data in figures/data/, with the thresholds
imported from the figure scripts themselves, so the page, the figure and the test share
one set of constants.
"""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import adding_problem_training
import init_variance_per_layer
import lstm_vs_rnn_gradients
import residual_gradient_flow
import residual_training
from vanishing import clipping, data, losses, networks, recurrent, training


def load(figures_dir, stem):
    return json.loads((figures_dir / "data" / f"{stem}.json").read_text())


# --- initialization helpers ----------------------------------------------------------

def test_init_gain_scales_every_weight_and_init_many_stacks_seeds():
    cfg = networks.MLPConfig(depth=4, width=8, in_dim=3, out_dim=2, init="xavier")
    one = networks.init_params(jax.random.PRNGKey(3), cfg)
    big = networks.init_params(jax.random.PRNGKey(3), cfg, gain=1.3)
    for name in ("w_in", "w_hidden", "w_out"):
        np.testing.assert_allclose(big[name], 1.3 * one[name], rtol=1e-12)
    many = networks.init_many(cfg, [3, 4], gain=1.3)
    for name in big:  # the cheap way gives exactly the same networks
        np.testing.assert_array_equal(many[name][0], big[name])
    assert not np.allclose(many["w_hidden"][0], many["w_hidden"][1])


@pytest.mark.parametrize("kw", [dict(activation="sigmoid", residual=True),
                                dict(activation="sigmoid", batchnorm=True, init="standard_normal"),
                                dict(activation="relu", init="he", residual=True, branch_scale=0.1)])
def test_chapter3_networks_match_finite_differences(kw):
    """The residual and batch-norm variants the chapter uses, with the library's weights."""
    cfg = networks.MLPConfig(depth=12, width=6, in_dim=4, out_dim=3, **kw)
    params = networks.init_params(jax.random.PRNGKey(1), cfg)
    x = jax.random.normal(jax.random.PRNGKey(2), (8, 4))
    y = jnp.arange(8) % 3

    @jax.jit
    def f(p):
        return losses.cross_entropy(networks.forward(p, cfg, x)[0], y)

    grads = jax.grad(f)(params)
    direction = jax.tree.map(lambda a: jnp.cos(jnp.arange(a.size).reshape(a.shape) + 1.0), params)
    eps = 1e-6
    numeric = (f(jax.tree.map(lambda p, d: p + eps * d, params, direction))
               - f(jax.tree.map(lambda p, d: p - eps * d, params, direction))) / (2 * eps)
    analytic = sum(jnp.vdot(g, d) for g, d in zip(jax.tree.leaves(grads), jax.tree.leaves(direction)))
    assert float(analytic) == pytest.approx(float(numeric), rel=1e-6, abs=1e-10)


# --- clipping ----------------------------------------------------------------------

def test_global_norm_is_the_norm_of_all_leaves_together():
    tree = {"a": jnp.array([3.0]), "b": jnp.array([[4.0, 0.0]])}
    assert float(clipping.global_norm(tree)) == pytest.approx(5.0)


@pytest.mark.parametrize("scale", [1e-20, 1e-3, 0.5, 1.0, 2.0, 1e3, 1e30])
def test_clipping_never_increases_a_norm_and_caps_it_at_the_threshold(scale):
    threshold = 1.0
    tree = jax.tree.map(lambda a: scale * a, {"w": jax.random.normal(jax.random.PRNGKey(0), (5, 4)),
                                              "b": jax.random.normal(jax.random.PRNGKey(1), (4,))})
    before = float(clipping.global_norm(tree))
    clipped = clipping.clip_by_global_norm(tree, threshold)
    after = float(clipping.global_norm(clipped))
    assert after <= before * (1 + 1e-12)
    assert after <= threshold * (1 + 1e-12)
    assert after == pytest.approx(min(before, threshold), rel=1e-12)
    # The direction is kept: the clipped tree is a positive multiple of the original.
    np.testing.assert_allclose(clipped["w"] * before, tree["w"] * after, rtol=1e-10, atol=1e-300)
    if before <= threshold:  # a small (e.g. vanishing) gradient passes through unchanged
        np.testing.assert_array_equal(clipped["w"], tree["w"])


def test_clipping_leaves_a_zero_gradient_zero():
    zero = {"w": jnp.zeros((3, 3))}
    np.testing.assert_array_equal(clipping.clip_by_global_norm(zero, 1.0)["w"], 0)


def test_clipping_and_per_run_learning_rates_in_the_trainer():
    cfg = networks.MLPConfig(depth=3, width=8, in_dim=64, out_dim=10, activation="relu", init="he")
    x, y = data.digits()
    x, y = x[:200], y[:200]

    def loss_fn(p, xb, yb):
        return losses.cross_entropy(networks.forward(p, cfg, xb)[0], yb)

    tc = training.TrainConfig(30, 16, 0.05, momentum=0.9)
    init = lambda k: networks.init_params(k, cfg)  # noqa: E731
    norms = networks.layer_weight_norms
    ref = training.sgd_train(init, loss_fn, norms, x, y, tc, [0, 1])
    # An infinite threshold never clips; a per-run learning rate equal to cfg's changes nothing.
    same = training.sgd_train(init, loss_fn, norms, x, y, tc, [0, 1], learning_rates=[0.05, 0.05],
                              clip_thresholds=np.inf)
    np.testing.assert_allclose(same["loss"], ref["loss"], rtol=1e-10)
    clipped = training.sgd_train(init, loss_fn, norms, x, y, tc, [0, 1], clip_thresholds=1e-3)
    assert not np.allclose(clipped["loss"][:, -1], ref["loss"][:, -1])
    # Each run follows its own learning rate: run 0 with cfg's rate reproduces the reference.
    mixed = training.sgd_train(init, loss_fn, norms, x, y, tc, [0, 1], learning_rates=[0.05, 0.2])
    np.testing.assert_allclose(mixed["loss"][0], ref["loss"][0], rtol=1e-10)
    assert not np.allclose(mixed["loss"][1], ref["loss"][1])


# --- the page's claims, on the generated data --------------------------------------

def test_he_initialization_keeps_activation_variance_in_the_quoted_band(figures_dir):
    d = load(figures_dir, "init_variance_per_layer")
    low, high = init_variance_per_layer.HE_BAND
    assert d["he_band"] == [low, high]
    z = np.array(d["he"]["z_var"])
    median = np.median(z / z[:, :1], axis=0)
    assert low <= median.min() and median.max() <= high
    # ...and the bad initializations really leave that band (otherwise the figure shows nothing).
    for scheme in ("standard_normal", "xavier"):
        z = np.array(d[scheme]["z_var"])
        ratio = np.median(z[:, -1] / z[:, 0])
        assert not low <= ratio <= high


def test_he_initialized_relu_stack_keeps_variance_in_band_when_recomputed():
    """Recompute a smaller case directly: 20 layers, band as on the page."""
    cfg = networks.MLPConfig(depth=20, width=128, in_dim=64, out_dim=10, activation="relu", init="he")
    x, _ = data.digits()
    params = networks.init_many(cfg, range(4))
    z = jax.vmap(lambda p: jnp.mean(networks.forward(p, cfg, x[:128])[1]["z"] ** 2, axis=(1, 2)))(params)
    median = np.median(np.asarray(z / z[:, :1]), axis=0)
    low, high = init_variance_per_layer.HE_BAND
    assert low <= median.min() and median.max() <= high


def test_residual_first_layer_gradient_beats_plain_by_the_quoted_margin(figures_dir):
    d = load(figures_dir, "residual_gradient_flow")
    assert d["margin"] == residual_gradient_flow.MARGIN
    for activation in residual_gradient_flow.ACTIVATIONS:
        plain = np.array(d[f"plain_{activation}"])[:, 0]
        resid = np.array(d[f"residual_{activation}"])[:, 0]
        assert resid.min() >= residual_gradient_flow.MARGIN * plain.max()


def test_lstm_beats_the_vanilla_rnn_on_the_adding_problem_for_every_seed(figures_dir):
    d = load(figures_dir, "adding_problem_training")
    assert d["seeds"] == list(adding_problem_training.SEEDS)
    lstm, rnn = np.array(d["final_lstm"]), np.array(d["final_rnn"])
    baseline = adding_problem_training.BASELINE
    assert np.all(lstm < baseline / 10)  # every LSTM run learned the task
    assert lstm.max() < rnn.min()  # every LSTM run beats every RNN run
    assert np.median(rnn) > baseline / 2  # the typical RNN run is still near the baseline


def test_clipping_keeps_the_exploding_runs_finite(figures_dir):
    d = load(figures_dir, "gradient_clipping")
    blew_up = np.array(d["blew_up"])  # (clipping off/on, seeds)
    loss = np.array(d["loss"])  # (clipping off/on, seeds, steps); NaN and inf stored as -1
    assert blew_up[0].all()  # every unclipped run blew up...
    assert not blew_up[1].any()  # ...and no clipped one did
    assert np.all(loss[1] > 0)
    assert np.all(loss[1][:, -20:].mean(axis=1) < loss[1][:, :5].mean(axis=1))  # and it is learning


def test_standard_normal_and_xavier_grow_by_the_derived_factor_per_layer(figures_dir):
    """The Deeper box derives n v / 2 per layer: width/2 for v = 1, 1/2 for Xavier."""
    d = load(figures_dir, "init_variance_per_layer")
    depth, width = init_variance_per_layer.DEPTH, init_variance_per_layer.WIDTH
    for scheme, expected in (("standard_normal", width / 2), ("xavier", 0.5)):
        z = np.array(d[scheme]["z_var"])
        per_layer = np.median(z[:, -1] / z[:, 0]) ** (1 / (depth - 1))
        assert per_layer == pytest.approx(expected, rel=0.1)


def test_the_deep_plain_network_barely_trains_where_the_residual_one_does(figures_dir):
    d = load(figures_dir, "residual_training")
    shallow = f"plain_{residual_training.SHALLOW}"
    deep_plain, deep_res = f"plain_{residual_training.DEEP}", f"residual_{residual_training.DEEP}"
    acc = {k: np.array(d[k]["accuracy"]) for k in (shallow, deep_plain, deep_res)}
    assert np.median(acc[shallow]) > 0.95 and np.median(acc[deep_res]) > 0.95
    assert acc[deep_plain].max() < 0.5  # every deep plain seed stays far behind
    loss = np.array(d[deep_plain]["final_loss"])
    assert np.median(loss) < np.log(10)  # "barely" trains: a little below the loss of guessing
    assert np.median(loss) > 0.5 * np.log(10)


def test_lstm_gradient_through_time_claims(figures_dir):
    """The caption: RNN keeps more in the median but varies far more; the LSTM's cell
    signal fades much less per step than its forget gate alone; with bias 4 it does not fade."""
    d = load(figures_dir, "lstm_vs_rnn_gradients")
    length, back = lstm_vs_rnn_gradients.LENGTH, lstm_vs_rnn_gradients.QUOTED_BACK
    t = length - 1 - back
    rnn, lstm_c, lstm_h = (np.array(d[k])[:, t] for k in ("rnn_h", "lstm_c", "lstm_h"))
    assert np.median(lstm_c) < np.median(rnn)
    assert np.median(lstm_h) < np.median(lstm_c)
    assert rnn.max() / rnn.min() > 100 * lstm_c.max() / lstm_c.min()  # the RNN's seeds spread far wider
    gate = 1 / (1 + np.exp(-recurrent.FORGET_BIAS))
    assert np.median(lstm_c) ** (1 / back) > gate + 0.05  # other paths add to the direct one
    open_c = np.median(np.array(d["lstm_open_c"]), axis=0)
    assert open_c.min() > 0.99


def test_equal_starting_weights_stay_equal_forever(figures_dir):
    d = load(figures_dir, "symmetry_breaking")
    for start in ("equal", "zero"):  # every step, every seed: no two units of a layer ever differ
        assert np.max(d[start]["max_grad_spread"]) < 1e-12
    assert np.all(np.array(d["zero"]["final_pixel_weights"]) == 0)  # all-zero tanh: nothing moves at all
    assert np.min(d["random"]["max_grad_spread"]) > 1e-2
    acc = {start: np.median(d[start]["accuracy"]) for start in ("random", "equal", "zero")}
    assert acc["random"] > 0.9 and acc["equal"] < acc["random"] - 0.3 and acc["zero"] < 0.15


def test_training_opens_the_lstm_gate_and_the_signal_reaches_the_first_step(figures_dir):
    d = load(figures_dir, "adding_problem_training")
    start, trained = (np.array(d[k])[:, 0] for k in ("lstm_signal_start", "lstm_signal_trained"))
    assert np.all(trained > 0.5) and np.median(trained) > 10 * np.median(start)
    gate = adding_problem_training.OPEN_GATE
    f_start, f_trained = np.array(d["forget_start"]), np.array(d["forget_trained"])
    assert np.all(np.abs(f_start - 1 / (1 + np.exp(-recurrent.FORGET_BIAS))) < 0.1)  # every gate starts near sigma(1)
    assert (f_start > gate).sum() == 0 < (f_trained > gate).sum()


def test_deep_plain_network_starts_healthy_then_its_signal_fades(figures_dir):
    d = load(figures_dir, "residual_training")["deep_signal"]
    ratio = {kind: {when: np.array(v)[:, 0] / np.array(v)[:, -1] for when, v in s.items()} for kind, s in d.items()}
    assert np.all(ratio["plain"]["start"] > 0.1)  # "healthy" at the start, as in He et al.
    assert np.median(ratio["plain"]["trained"]) < 0.1 * np.median(ratio["plain"]["start"])
    assert np.all(ratio["residual"]["trained"] > 0.5)


def test_the_trained_lstm_passes_more_than_its_most_open_gate_alone_would(figures_dir):
    """Chapter 3 says so after the forget-gate figure: f_t per step is a guide, not the whole story."""
    d = load(figures_dir, "adding_problem_training")
    steps = adding_problem_training.LENGTH - 1
    passed = np.median(np.array(d["lstm_signal_trained"])[:, 0])  # the first step, as the page's number
    assert np.max(d["forget_trained"]) ** steps < passed
