"""Every activation's autodiff derivative against its closed form and finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import activations

NAMES = sorted(activations.ACTIVATIONS)
# Stay off z = 0, where ReLU-like functions have a kink and finite differences disagree.
GRID = jnp.concatenate([jnp.linspace(-8, -0.01, 200), jnp.linspace(0.01, 8, 200)])


def central_difference(f, z, eps=1e-6):
    return (f(z + eps) - f(z - eps)) / (2 * eps)


@pytest.mark.parametrize("name", NAMES)
def test_autodiff_matches_closed_form(name):
    act = activations.get(name)
    autodiff = jax.vmap(jax.grad(act.fn))(GRID)
    np.testing.assert_allclose(autodiff, act.derivative(GRID), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_closed_form_matches_finite_differences(name):
    act = activations.get(name)
    np.testing.assert_allclose(central_difference(act.fn, GRID), act.derivative(GRID), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_max_slope_is_the_supremum_of_the_derivative(name):
    act = activations.get(name)
    fine = jnp.linspace(-10, 10, 200_001)
    assert float(jnp.max(jnp.abs(act.derivative(fine)))) == pytest.approx(act.max_slope, rel=1e-6)


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma_and_peaks_at_quarter():
    s = jax.nn.sigmoid(GRID)
    np.testing.assert_allclose(activations.get("sigmoid").derivative(GRID), s * (1 - s), rtol=1e-12)
    slope = jax.grad(activations.get("sigmoid").fn)
    assert float(slope(0.0)) == 0.25
    assert float(jnp.max(jax.vmap(slope)(GRID))) < 0.25


def test_tanh_slope_is_at_most_one_and_one_at_zero():
    slope = jax.grad(jnp.tanh)
    assert float(slope(0.0)) == 1.0
    assert float(jnp.max(jax.vmap(slope)(GRID))) < 1.0


def test_relu_family_slope_is_one_on_the_positive_side():
    positive = GRID[GRID > 0]
    for name in ("relu", "leaky_relu", "elu"):
        np.testing.assert_array_equal(activations.get(name).derivative(positive), 1.0)
    np.testing.assert_array_equal(activations.get("relu").derivative(-positive), 0.0)
    np.testing.assert_allclose(activations.get("leaky_relu").derivative(-positive), activations.LEAKY_SLOPE)


def test_unknown_activation_names_the_valid_ones():
    with pytest.raises(ValueError, match="sigmoid"):
        activations.get("swishy")
