"""The packed networks (`vanishing.packed`: several depths in one lane, the activation,
initialization, residual and batch-norm choices as data) equal the library's network of
each depth, to float64 precision: losses, per-layer gradients and SGD with momentum."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import gradients, initializers, losses, networks, packed

IN, WIDTH, OUT = 5, 6, 3
LAYOUT = packed.Layout((4, 1, 7, 3))  # depth 1 has no slots; 7 is the deepest
BRANCH_SCALE = 0.3  # not the default 1: the explicit value must reach every residual layer

# Compiled once: the choices are data, so every case shares one compiled packed lane, and
# each library network compiles once per configuration (eager op-by-op runs took minutes).
packed_gradients = jax.jit(packed.layer_gradients, static_argnums=4)
library_gradients = jax.jit(gradients.layer_gradients, static_argnums=1)


def problem():
    x = jax.random.normal(jax.random.PRNGKey(1), (12, IN))
    y = jax.random.randint(jax.random.PRNGKey(2), (12,), 0, OUT)
    draws = packed.standard_draws(jax.random.PRNGKey(0), IN, WIDTH, OUT, max_depth=max(LAYOUT.depths))
    return x, y, draws


def perturbed(params):
    """Non-trivial biases and batch-norm parameters, so that every parameter is exercised."""
    return jax.tree.map(lambda a: a + 0.1 * jnp.cos(jnp.arange(a.size).reshape(a.shape)), params)


def library_twin(params, j, activation, init, residual, batchnorm):
    """Network j of the lane as the library's MLP: its config and its own parameters."""
    depth = LAYOUT.depths[j]
    cfg = networks.MLPConfig(depth=depth, width=WIDTH, in_dim=IN, out_dim=OUT, activation=activation, init=init,
                             residual=residual, batchnorm=batchnorm, branch_scale=BRANCH_SCALE)
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
]  # every activation, every initialization, every residual/batch-norm pair


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, c)) for c in CASES])
def test_every_packed_network_equals_the_library_network(case):
    x, y, draws = problem()
    params = perturbed(packed.init_params(draws, packed.INITS.index(case[1]), LAYOUT))
    got = packed_gradients(params, packed.choice(*case, BRANCH_SCALE), x, y, LAYOUT)
    signal = LAYOUT.per_network(got["hidden_grad_rms"])
    for j, depth in enumerate(LAYOUT.depths):
        cfg, twin = library_twin(params, j, *case)
        expected = library_gradients(twin, cfg, x, y)
        np.testing.assert_allclose(got["loss"][j], expected["loss"], rtol=1e-13)
        np.testing.assert_allclose(signal[j], expected["hidden_grad_rms"], rtol=1e-11)
        weights = np.r_[got["w_in"][j], np.asarray(got["w_hidden"])[LAYOUT.slot_net == j], got["w_out"][j]]
        np.testing.assert_allclose(weights, expected["weight_grad_norm"], rtol=1e-11)


def test_deeper_networks_extend_shallower_ones_and_share_the_scheme_scales():
    _, _, draws = problem()
    for index, scheme in enumerate(packed.INITS):
        params = packed.init_params(draws, index, LAYOUT)
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
    params = perturbed(packed.init_params(draws, packed.INITS.index("he"), LAYOUT))
    batches = jnp.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [3, 5, 7, 9]])
    rate = 0.3
    momentum = 0.5
    result = jax.jit(packed.train, static_argnums=6)(params, packed.choice(*case, BRANCH_SCALE), x, y, batches, rate,
                                                     LAYOUT, momentum)
    history, first = result["loss"], LAYOUT.per_network(result["signal"])
    for j in range(LAYOUT.nets):
        cfg, twin = library_twin(params, j, *case)

        @jax.jit
        def loss_and_grad(p, idx):
            return jax.value_and_grad(lambda p: losses.cross_entropy(networks.forward(p, cfg, x[idx])[0], y[idx]))(p)

        p, velocity, expected = twin, jax.tree.map(jnp.zeros_like, twin), []
        for idx in batches:
            value, g = loss_and_grad(p, idx)
            expected.append(value)
            velocity = jax.tree.map(lambda v, d: momentum * v + d, velocity, g)
            p = jax.tree.map(lambda a, v: a - rate * v, p, velocity)
        np.testing.assert_allclose(history[:, j], jnp.stack(expected), rtol=1e-11)
        _, final = library_twin(result["params"], j, *case)
        for name in p:
            np.testing.assert_allclose(final[name], p[name], rtol=1e-10, atol=1e-14)
        rms0 = library_gradients(twin, cfg, x[batches[0]], y[batches[0]])["hidden_grad_rms"]
        np.testing.assert_allclose(first[j], rms0, rtol=1e-11)


def test_a_vmapped_grid_equals_one_choice_at_a_time():
    """Batched choices turn lax.switch/lax.cond into selects: the results must not change."""
    x, y, draws = problem()
    grid = packed.stack([packed.choice(*case, BRANCH_SCALE) for case in CASES])

    @jax.jit
    def one(c):
        return packed.layer_gradients(packed.init_params(draws, c.init, LAYOUT), c, x, y, LAYOUT)["hidden_grad_rms"]

    batched = jax.jit(jax.vmap(one))(grid)
    for k, case in enumerate(CASES):
        np.testing.assert_allclose(batched[k], one(packed.choice(*case, BRANCH_SCALE)), rtol=1e-12)


def test_bad_choices_and_layouts_are_rejected():
    with pytest.raises(ValueError, match="swish"):
        packed.choice("swish", "he", False, False)
    with pytest.raises(ValueError, match="depths"):
        packed.Layout((2, packed.MAX_DEPTH + 1))
    with pytest.raises(ValueError, match="layers"):
        packed.init_params(problem()[2], 0, packed.Layout((2, 9)))
