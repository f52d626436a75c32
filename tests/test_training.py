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
