"""Vanilla RNN and LSTM: gradients through time against finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import data, losses, recurrent, training

STEPS, BATCH = 12, 4


def setup(kind):
    cfg = recurrent.RecurrentConfig(kind=kind, input_dim=2, hidden=5, output_dim=1)
    params = recurrent.init_params(jax.random.PRNGKey(0), cfg)
    xs, ys = data.adding_problem(jax.random.PRNGKey(1), BATCH, STEPS)
    return cfg, params, xs, ys


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_hidden_state_gradients_match_finite_differences(kind):
    cfg, params, xs, ys = setup(kind)
    measured = recurrent.hidden_state_gradients(params, cfg, xs, ys)
    zeros = jnp.zeros((STEPS, BATCH, cfg.hidden))

    @jax.jit
    def loss(probes):
        return losses.mean_squared_error(recurrent.forward(params, cfg, xs, probes)[0], ys)

    eps = 1e-6
    for name in measured:
        assert measured[name].shape == (STEPS,)
        for t in (0, STEPS // 2, STEPS - 1):
            grad = np.zeros((BATCH, cfg.hidden))
            for b in range(BATCH):
                for u in range(cfg.hidden):
                    bump = zeros.at[t, b, u].set(eps)
                    other = {"h": zeros, "c": zeros} | {name: bump}
                    minus = {"h": zeros, "c": zeros} | {name: -bump}
                    grad[b, u] = (loss(other) - loss(minus)) / (2 * eps)
            expected = np.sqrt(np.mean((BATCH * np.linalg.norm(grad, axis=1)) ** 2))
            assert float(measured[name][t]) == pytest.approx(expected, rel=1e-5)


def test_lstm_reports_cell_state_and_rnn_does_not():
    for kind, names in (("rnn", {"h"}), ("lstm", {"h", "c"})):
        cfg, params, xs, ys = setup(kind)
        assert set(recurrent.hidden_state_gradients(params, cfg, xs, ys)) == names


def test_lstm_starts_with_forget_bias_one():
    cfg, params, _, _ = setup("lstm")
    np.testing.assert_array_equal(params["b"][cfg.hidden : 2 * cfg.hidden], recurrent.FORGET_BIAS)


def test_recurrent_models_train_with_the_shared_trainer():
    cfg, _, _, _ = setup("lstm")
    xs, ys = data.adding_problem(jax.random.PRNGKey(5), 256, 10)
    x_batch_first = xs.transpose(1, 0, 2)

    def loss_fn(params, xb, yb):
        return losses.mean_squared_error(recurrent.forward(params, cfg, xb.transpose(1, 0, 2))[0], yb)

    history = training.sgd_train(
        lambda k: recurrent.init_params(k, cfg), loss_fn, recurrent.layer_norms,
        x_batch_first, ys, training.TrainConfig(200, 32, 0.1, momentum=0.9), seeds=[0],
    )
    assert history["grad_norm"].shape == (1, 200, 3)
    assert history["loss"][0, -20:].mean() < history["loss"][0, :20].mean()


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="lstm"):
        recurrent.RecurrentConfig(kind="gru", input_dim=1, hidden=1, output_dim=1)
