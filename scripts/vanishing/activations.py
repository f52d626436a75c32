"""Activation functions paired with their hand-derived derivatives.

The closed-form derivative sits next to each function so that tests can check JAX's
autodiff against it, and figures can plot the formula the page writes down.
"""

from dataclasses import dataclass
from typing import Callable

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
from jax.scipy.special import erf

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0


@dataclass(frozen=True)
class Activation:
    name: str
    label: str  # how a figure legend writes it
    fn: Callable[[jax.Array], jax.Array]
    derivative: Callable[[jax.Array], jax.Array]
    max_slope: float  # sup over z of |fn'(z)|, the factor the chain-rule bound uses


def _sigmoid(z):
    return jax.nn.sigmoid(z)


def _sigmoid_prime(z):
    s = jax.nn.sigmoid(z)
    return s * (1.0 - s)


def _tanh_prime(z):
    return 1.0 - jnp.tanh(z) ** 2


def _relu(z):
    return jnp.maximum(z, 0.0)


def _relu_prime(z):
    # At z = 0 we take the right-hand slope 0, the same convention as jax.grad.
    return jnp.where(z > 0, 1.0, 0.0)


def _leaky_relu(z):
    return jnp.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_relu_prime(z):
    return jnp.where(z > 0, 1.0, LEAKY_SLOPE)


def _elu(z):
    return jnp.where(z > 0, z, ELU_ALPHA * jnp.expm1(jnp.minimum(z, 0.0)))


def _elu_prime(z):
    return jnp.where(z > 0, 1.0, ELU_ALPHA * jnp.exp(jnp.minimum(z, 0.0)))


def _gelu(z):
    # The exact GELU, z * Phi(z), not the tanh approximation.
    return 0.5 * z * (1.0 + erf(z / jnp.sqrt(2.0)))


def _gelu_prime(z):
    cdf = 0.5 * (1.0 + erf(z / jnp.sqrt(2.0)))
    pdf = jnp.exp(-0.5 * z**2) / jnp.sqrt(2.0 * jnp.pi)
    return cdf + z * pdf


# GELU's slope peaks slightly above 1 at z = sqrt(2): Phi(sqrt 2) + sqrt(2) phi(sqrt 2).
_GELU_MAX_SLOPE = float(_gelu_prime(jnp.sqrt(2.0)))

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("sigmoid", "sigmoid", _sigmoid, _sigmoid_prime, 0.25),
        Activation("tanh", "tanh", jnp.tanh, _tanh_prime, 1.0),
        Activation("relu", "ReLU", _relu, _relu_prime, 1.0),
        Activation("leaky_relu", "leaky ReLU", _leaky_relu, _leaky_relu_prime, 1.0),
        Activation("elu", "ELU", _elu, _elu_prime, 1.0),
        Activation("gelu", "GELU", _gelu, _gelu_prime, _GELU_MAX_SLOPE),
    ]
}


def get(name: str) -> Activation:
    """Look up an activation by name, with an error that lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None
