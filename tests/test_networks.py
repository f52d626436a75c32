"""MLP variants (plain, residual, batch norm): autodiff against central finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import losses, networks

VARIANTS = {
    "plain sigmoid": dict(activation="sigmoid", init="xavier"),
    "plain tanh, standard normal": dict(activation="tanh", init="standard_normal"),
    "residual relu": dict(activation="relu", init="he", residual=True, branch_scale=0.5),
    "batchnorm sigmoid": dict(activation="sigmoid", init="xavier", batchnorm=True),
    "residual + batchnorm gelu": dict(activation="gelu", init="he", residual=True, batchnorm=True),
    "residual elu": dict(activation="elu", init="lecun", residual=True),
    "leaky relu": dict(activation="leaky_relu", init="he"),
}


def setup(variant, depth=5, width=6):
    cfg = networks.MLPConfig(depth=depth, width=width, in_dim=4, out_dim=3, **VARIANTS[variant])
    key_p, key_x, key_y = jax.random.split(jax.random.PRNGKey(7), 3)
    params = networks.init_params(key_p, cfg)
    # Nonzero biases and batch-norm parameters, so their gradients are tested too.
    params = jax.tree.map(lambda a, k: a + 0.1 * jax.random.normal(k, a.shape), params, _keys_like(params))
    x = jax.random.normal(key_x, (8, 4))
    y = jax.random.randint(key_y, (8,), 0, 3)
    return cfg, params, x, y


def _keys_like(tree):
    leaves, treedef = jax.tree.flatten(tree)
    return jax.tree.unflatten(treedef, list(jax.random.split(jax.random.PRNGKey(11), len(leaves))))


def loss_of(cfg, x, y):
    def f(params, probes=None):
        logits, _ = networks.forward(params, cfg, x, probes)
        return losses.cross_entropy(logits, y)

    return jax.jit(f)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_parameter_gradient_matches_finite_differences(variant):
    cfg, params, x, y = setup(variant)
    f = loss_of(cfg, x, y)
    grads = jax.grad(f)(params)
    for seed in range(3):  # directional derivatives along random directions
        direction = jax.tree.map(lambda a, k: jax.random.normal(k, a.shape), params, _keys_like(params))
        direction = jax.tree.map(lambda d: d * (seed + 1), direction)
        eps = 1e-6
        plus = f(jax.tree.map(lambda p, d: p + eps * d, params, direction))
        minus = f(jax.tree.map(lambda p, d: p - eps * d, params, direction))
        numeric = (plus - minus) / (2 * eps)
        analytic = sum(jnp.vdot(g, d) for g, d in zip(jax.tree.leaves(grads), jax.tree.leaves(direction)))
        assert float(analytic) == pytest.approx(float(numeric), rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_probe_gradient_is_dl_dh_by_finite_differences(variant):
    cfg, params, x, y = setup(variant)
    f = loss_of(cfg, x, y)
    probes = jnp.zeros((cfg.depth, x.shape[0], cfg.width))
    g = jax.grad(f, argnums=1)(params, probes)
    eps = 1e-6
    for layer, example, unit in [(0, 0, 0), (2, 3, 4), (cfg.depth - 1, 7, 5)]:
        bump = probes.at[layer, example, unit].set(eps)
        numeric = (f(params, bump) - f(params, -bump)) / (2 * eps)
        assert float(g[layer, example, unit]) == pytest.approx(float(numeric), rel=1e-6, abs=1e-10)


def test_shapes_and_depth_one():
    for depth in (1, 2, 9):
        cfg = networks.MLPConfig(depth=depth, width=5, in_dim=3, out_dim=2)
        params = networks.init_params(jax.random.PRNGKey(0), cfg)
        logits, trace = networks.forward(params, cfg, jnp.ones((4, 3)))
        assert logits.shape == (4, 2)
        assert trace["h"].shape == trace["z"].shape == (depth, 4, 5)
        assert networks.layer_weight_norms(params).shape == (cfg.num_weight_layers,)


def test_batchnorm_standardizes_each_unit_over_the_batch():
    cfg = networks.MLPConfig(depth=4, width=16, in_dim=8, out_dim=2, batchnorm=True, init="standard_normal")
    params = networks.init_params(jax.random.PRNGKey(1), cfg)
    _, trace = networks.forward(params, cfg, 3.0 * jax.random.normal(jax.random.PRNGKey(2), (256, 8)))
    np.testing.assert_allclose(trace["z"].mean(axis=1), 0, atol=1e-10)
    np.testing.assert_allclose(trace["z"].var(axis=1), 1, rtol=1e-3)


def test_residual_with_zero_branch_is_the_identity():
    cfg = networks.MLPConfig(depth=6, width=5, in_dim=3, out_dim=2, residual=True, branch_scale=0.0)
    params = networks.init_params(jax.random.PRNGKey(0), cfg)
    _, trace = networks.forward(params, cfg, jnp.ones((2, 3)))
    for layer in range(1, cfg.depth):
        np.testing.assert_array_equal(trace["h"][layer], trace["h"][0])


def test_invalid_configurations_fail_clearly():
    with pytest.raises(ValueError, match="depth"):
        networks.MLPConfig(depth=0, width=3, in_dim=1, out_dim=1)
    with pytest.raises(ValueError, match="unknown activation"):
        networks.MLPConfig(depth=2, width=3, in_dim=1, out_dim=1, activation="step")
    with pytest.raises(ValueError, match="unknown initialization"):
        networks.MLPConfig(depth=2, width=3, in_dim=1, out_dim=1, init="zeros")


@pytest.mark.parametrize("init", ["standard_normal", "lecun", "xavier", "he"])
def test_every_weight_matrix_gets_its_schemes_variance(init):
    from vanishing import initializers

    cfg = networks.MLPConfig(depth=40, width=48, in_dim=30, out_dim=20, init=init)
    params = networks.init_params(jax.random.PRNGKey(3), cfg)
    for name, (fan_in, fan_out) in {"w_in": (30, 48), "w_hidden": (48, 48), "w_out": (48, 20)}.items():
        expected = initializers.weight_variance(init, fan_in, fan_out)
        assert float(jnp.var(params[name])) == pytest.approx(expected, rel=0.1 if name != "w_hidden" else 0.02)
    # Different layers are independent draws, not copies.
    assert not np.allclose(params["w_hidden"][0], params["w_hidden"][1])


def test_batch_norm_is_the_textbook_formula_and_stays_finite_for_a_constant_unit():
    """(z - mean) / sqrt(var + eps) * gamma + beta, per unit over the batch. A unit that is
    constant over the batch has variance 0: only epsilon keeps it finite (it becomes beta)."""
    z = jax.random.normal(jax.random.PRNGKey(3), (16, 5)).at[:, 2].set(3.0)
    gamma = 1.0 + 0.1 * jnp.arange(5.0)
    beta = 0.5 - 0.2 * jnp.arange(5.0)
    out = networks.batch_norm(z, gamma, beta)
    assert bool(jnp.isfinite(out).all())
    expected = gamma * (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + networks.BN_EPSILON) + beta
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(out[:, 2], beta[2])
    grad = jax.grad(lambda z: jnp.sum(networks.batch_norm(z, gamma, beta) ** 3))(z)
    assert bool(jnp.isfinite(grad).all())
