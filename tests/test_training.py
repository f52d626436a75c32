"""The trainer learns, records every layer at every step, and is deterministic per seed."""

import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import data, networks, training

X, Y = data.digits()
NET = networks.MLPConfig(depth=3, width=32, in_dim=64, out_dim=10, activation="relu", init="he")
CFG = training.TrainConfig(steps=150, batch_size=64, learning_rate=0.05)


@pytest.fixture(scope="module")
def history():
    return training.train_mlp(NET, CFG, X, Y, seeds=[0, 1])


def test_records_have_one_row_per_step_and_layer(history):
    assert history["loss"].shape == (2, CFG.steps)
    assert history["grad_norm"].shape == (2, CFG.steps, NET.num_weight_layers)
    assert history["weight_change"].shape == (2, CFG.steps, NET.num_weight_layers)
    assert np.all(history["weight_change"] > 0)


def test_loss_falls_and_the_net_learns_digits(history):
    first, last = history["loss"][:, :10].mean(axis=1), history["loss"][:, -10:].mean(axis=1)
    assert np.all(last < 0.5 * first)
    params0 = {k: v[0] for k, v in history["params"].items()}
    logits, _ = networks.forward(params0, NET, X)
    assert float(training.accuracy(logits, Y)) > 0.85


def test_same_seed_same_run_and_seeds_differ(history):
    again = training.train_mlp(NET, CFG, X, Y, seeds=[0, 1])
    np.testing.assert_array_equal(again["loss"], history["loss"])
    # Alone, seed 1 follows the same run up to float rounding of the batched matmuls.
    alone = training.train_mlp(NET, CFG, X, Y, seeds=[1])
    np.testing.assert_allclose(alone["loss"][0], history["loss"][1], rtol=1e-10)
    assert not np.allclose(history["loss"][0], history["loss"][1])


def test_momentum_changes_the_trajectory(history):
    heavy = training.train_mlp(NET, training.TrainConfig(150, 64, 0.05, momentum=0.9), X, Y, seeds=[0])
    assert not np.allclose(heavy["loss"][0], history["loss"][0])
    assert heavy["weight_change"][0, -1, 0] > history["weight_change"][0, -1, 0]


def test_batch_larger_than_data_is_rejected():
    with pytest.raises(ValueError, match="batch_size"):
        training.train_mlp(NET, training.TrainConfig(1, 5000, 0.1), X, Y, seeds=[0])


def test_accuracy():
    assert float(training.accuracy(jnp.array([[0.1, 0.9], [2.0, 1.0]]), jnp.array([1, 1]))) == 0.5


def test_epoch_batches_visit_every_example_once_per_epoch():
    import jax

    batches = training.epoch_batches(jax.random.PRNGKey(0), n=10, batch_size=3, steps=7)
    assert batches.shape == (7, 3)
    for epoch in range(2):  # 3 full batches per epoch; the 10th example waits for the next shuffle
        seen = np.asarray(batches[3 * epoch : 3 * epoch + 3]).ravel()
        assert len(set(seen.tolist())) == 9


# --- optimizers and per-run options (Adam, per-parameter rates, chosen starts, watching) ---

SMALL = networks.MLPConfig(depth=2, width=8, in_dim=64, out_dim=10, activation="sigmoid", init="xavier")
SHORT = training.TrainConfig(steps=8, batch_size=32, learning_rate=0.05)


def test_adam_direction_is_the_textbook_formula():
    cfg = training.TrainConfig(1, 1, 1.0, optimizer="adam")
    grads = [np.array([0.3, -2.0, 1e-9]), np.array([-0.1, -1.0, 2e-9]), np.array([0.2, 0.5, -1e-9])]
    state = training.optimizer_start(cfg, {"w": jnp.zeros(3)})
    m = v = np.zeros(3)
    for t, g in enumerate(grads, start=1):
        direction, state = training.optimizer_direction(cfg, state, {"w": jnp.asarray(g)}, jnp.asarray(float(t)))
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        expected = (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        np.testing.assert_allclose(direction["w"], expected, rtol=1e-12)
    # The first step has size about 1 for a large gradient, whatever its size; a gradient
    # far below eps gets a step proportional to it, as SGD's would be.
    first, _ = training.optimizer_direction(cfg, training.optimizer_start(cfg, {"w": jnp.zeros(2)}),
                                            {"w": jnp.array([1e-3, 1e-12])}, jnp.asarray(1.0))
    assert float(first["w"][0]) == pytest.approx(1.0, rel=1e-4)
    assert float(first["w"][1]) == pytest.approx(1e-12 / 1e-8, rel=1e-3)


def test_sgd_direction_is_the_momentum_average():
    cfg = training.TrainConfig(1, 1, 1.0, momentum=0.5)
    state = training.optimizer_start(cfg, {"w": jnp.zeros(1)})
    d1, state = training.optimizer_direction(cfg, state, {"w": jnp.array([2.0])}, jnp.asarray(1.0))
    d2, _ = training.optimizer_direction(cfg, state, {"w": jnp.array([1.0])}, jnp.asarray(2.0))
    assert float(d1["w"][0]) == 2.0 and float(d2["w"][0]) == 2.0  # 0.5 * 2 + 1


def test_unknown_optimizer_is_rejected():
    with pytest.raises(ValueError, match="optimizer"):
        training.TrainConfig(1, 1, 0.1, optimizer="rmsprop")


def test_per_parameter_rates_scale_the_steps_and_ones_change_nothing():
    import jax

    plain = training.train_mlp(SMALL, SHORT, X, Y, seeds=[0, 1])
    params0 = networks.init_params(jax.random.split(jax.random.PRNGKey(0))[0], SMALL)
    ones = jax.tree.map(np.ones_like, params0)
    frozen = ones | {"w_in": np.zeros_like(params0["w_in"])}  # a rate of 0 for the first layer
    scales = jax.tree.map(lambda *a: np.stack(a), ones, ones, frozen)
    h = training.train_mlp(SMALL, SHORT, X, Y, seeds=[0, 1, 0], lr_scales=scales)
    np.testing.assert_array_equal(h["loss"][:2], plain["loss"])
    np.testing.assert_array_equal(h["params"]["w_in"][2], params0["w_in"])
    assert np.all(h["weight_change"][2, :, 0] == 0) and np.all(h["weight_change"][2, -1, 1:] > 0)


def test_chosen_starts_and_watched_values_are_used_and_recorded():
    import jax

    start = networks.init_params(jax.random.PRNGKey(7), SMALL)
    starts = jax.tree.map(lambda a: np.stack([a, 2 * a]), start)
    h = training.train_mlp(SMALL, SHORT, X, Y, seeds=[0, 0], start_params=starts,
                           watch=lambda p, g: {"w_in_first": p["w_in"][0, 0], "grad_sum": sum(jnp.sum(x) for x in g.values())})
    assert h["w_in_first"].shape == (2, SHORT.steps) and h["grad_sum"].shape == (2, SHORT.steps)
    np.testing.assert_allclose(h["w_in_first"][:, 0], [start["w_in"][0, 0], 2 * start["w_in"][0, 0]])
    assert not np.allclose(h["loss"][0], h["loss"][1])  # same batches, different starts

