"""Per-layer gradient measurement: equal to direct autodiff, exact where float32 underflows."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import activations, gradients, losses, networks


def small_problem(**overrides):
    cfg = networks.MLPConfig(**{"depth": 4, "width": 6, "in_dim": 5, "out_dim": 3, **overrides})
    x = jax.random.normal(jax.random.PRNGKey(1), (10, 5))
    y = jax.random.randint(jax.random.PRNGKey(2), (10,), 0, 3)
    return cfg, networks.init_params(jax.random.PRNGKey(0), cfg), x, y


def test_weight_gradient_norms_equal_direct_autodiff():
    cfg, params, x, y = small_problem(activation="tanh")
    measured = gradients.layer_gradients(params, cfg, x, y)

    def loss(p):
        return losses.cross_entropy(networks.forward(p, cfg, x)[0], y)

    g = jax.grad(loss)(params)
    expected = [jnp.linalg.norm(g["w_in"])] + [jnp.linalg.norm(w) for w in g["w_hidden"]] + [jnp.linalg.norm(g["w_out"])]
    np.testing.assert_allclose(measured["weight_grad_norm"], jnp.stack(expected), rtol=1e-12)
    assert float(measured["loss"]) == pytest.approx(float(loss(params)))


def test_hidden_gradient_is_rms_of_per_example_gradients():
    cfg, params, x, y = small_problem(activation="sigmoid")
    measured = gradients.layer_gradients(params, cfg, x, y)

    def per_example_norms(xi, yi):
        probes = jnp.zeros((cfg.depth, 1, cfg.width))
        g = jax.grad(lambda pr: losses.cross_entropy(networks.forward(params, cfg, xi[None], pr)[0], yi[None]))(probes)
        return jnp.linalg.norm(g[:, 0, :], axis=1)

    norms = jax.vmap(per_example_norms)(x, y)  # (examples, depth)
    np.testing.assert_allclose(measured["hidden_grad_rms"], jnp.sqrt(jnp.mean(norms**2, axis=0)), rtol=1e-10)


def test_scalar_sigmoid_chain_matches_the_closed_form_product_far_below_float32():
    """One unit per layer, all weights 1: dL/dh_1 is the product of sigma'(z_l), l = 2..L."""
    depth = 80
    cfg = networks.MLPConfig(depth=depth, width=1, in_dim=1, out_dim=1, activation="sigmoid")
    params = networks.init_params(jax.random.PRNGKey(0), cfg)
    params = jax.tree.map(jnp.ones_like, params) | {"b_in": jnp.zeros(1), "b_hidden": jnp.zeros((depth - 1, 1))}
    params["b_out"] = jnp.zeros(1)
    x, y = jnp.array([[0.3]]), jnp.array([[0.0]])
    measured = gradients.layer_gradients(params, cfg, x, y, loss="mse")

    # Closed form, by hand: forward through the chain, then multiply the slopes.
    h, zs = 0.3, []
    for _ in range(depth):
        z = h  # weight 1, bias 0
        zs.append(z)
        h = 1 / (1 + np.exp(-z))
    dloss_dh_last = h - 0.0  # d/dh of 0.5 (h - y)^2
    slopes = [1 / (1 + np.exp(-z)) * (1 - 1 / (1 + np.exp(-z))) for z in zs]
    log_expected = np.log(dloss_dh_last) + np.sum(np.log(slopes[1:]))
    assert np.log(float(measured["hidden_grad_rms"][0])) == pytest.approx(log_expected, rel=1e-9)
    # The value is far below what float32 can represent at all ...
    assert log_expected < np.log(1e-46)
    # ... so the same computation in float32 would round it to exactly zero.
    assert np.float32(np.exp(log_expected)) == 0


def test_gradients_at_init_vmaps_over_seeds():
    cfg, _, x, y = small_problem(activation="relu", init="he")
    result = gradients.gradients_at_init(cfg, x, y, seeds=[0, 1, 2])
    assert result["weight_grad_norm"].shape == (3, cfg.num_weight_layers)
    assert result["hidden_grad_rms"].shape == (3, cfg.depth)
    assert not np.allclose(result["weight_grad_norm"][0], result["weight_grad_norm"][1])
    np.testing.assert_allclose(
        result["weight_grad_norm"][1],
        gradients.layer_gradients(networks.init_params(jax.random.PRNGKey(1), cfg), cfg, x, y)["weight_grad_norm"],
        rtol=1e-12,
    )


@pytest.mark.parametrize("overrides", [dict(activation="tanh"), dict(activation="relu", init="he", residual=True,
                                                                          branch_scale=0.5)])
def test_the_signal_at_layer_l_is_the_slope_of_the_loss_in_h_l(overrides):
    """Independently of the probes: run the rest of the network from h_l by hand, and take
    central finite differences of the loss in h_l along random directions. The signal the
    library reports for layer l must be that slope (a probe added to the wrong layer fails)."""
    cfg, params, x, y = small_problem(**overrides)
    act = activations.get(cfg.activation).fn
    _, trace = networks.forward(params, cfg, x)

    def loss_from(h, layer):  # h is h_layer (1-based); continue with layers layer+1 .. depth
        for k in range(layer, cfg.depth):
            a = act(h @ params["w_hidden"][k - 1] + params["b_hidden"][k - 1])
            h = h + cfg.branch_scale * a if cfg.residual else a
        return losses.cross_entropy(h @ params["w_out"] + params["b_out"], y)

    probes = jnp.zeros((cfg.depth, x.shape[0], cfg.width))
    signal = jax.grad(lambda pr: losses.cross_entropy(networks.forward(params, cfg, x, pr)[0], y))(probes)
    eps = 1e-6
    for layer in range(1, cfg.depth + 1):
        h = trace["h"][layer - 1]
        for k in range(2):
            v = jax.random.normal(jax.random.PRNGKey(10 * layer + k), h.shape)
            numeric = (loss_from(h + eps * v, layer) - loss_from(h - eps * v, layer)) / (2 * eps)
            assert float(jnp.vdot(signal[layer - 1], v)) == pytest.approx(float(numeric), rel=1e-6, abs=1e-10)
