"""Weight initializations, each defined by the variance it gives a weight.

Good initializations choose Var(W) so that signals keep their size from layer to layer:
LeCun for linear-ish units (1/fan_in), Xavier/Glorot for tanh-like units
(2/(fan_in + fan_out)) and He for ReLU (2/fan_in). The textbook "bad" choice is a
standard normal, variance 1 whatever the width.
"""

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp


def weight_variance(scheme: str, fan_in: int, fan_out: int) -> float:
    """The variance of each weight under an initialization scheme."""
    variances = {
        "standard_normal": 1.0,
        "lecun": 1.0 / fan_in,
        "xavier": 2.0 / (fan_in + fan_out),
        "he": 2.0 / fan_in,
    }
    if scheme not in variances:
        raise ValueError(f"unknown initialization {scheme!r}; choose one of {sorted(variances)}")
    return variances[scheme]


SCHEMES = ("standard_normal", "lecun", "xavier", "he")


def init_weight(key: jax.Array, scheme: str, fan_in: int, fan_out: int) -> jax.Array:
    """A (fan_in, fan_out) Gaussian weight matrix with the scheme's variance."""
    std = jnp.sqrt(weight_variance(scheme, fan_in, fan_out))
    return std * jax.random.normal(key, (fan_in, fan_out), dtype=jnp.float64)
