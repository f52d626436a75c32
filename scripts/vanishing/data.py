"""Data sets that need no download: scikit-learn's bundled digits and synthetic tasks."""

import functools

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
import numpy as np


@functools.cache  # many scripts ask for it, and loading it imports scikit-learn
def digits() -> tuple[jax.Array, jax.Array]:
    """The 1,797 8x8 handwritten digits shipped inside scikit-learn.

    Pixels (0..16) are standardized per pixel to mean 0 and variance 1 (constant
    pixels are left at 0). Returns (x of shape (1797, 64), integer labels 0..9).
    """
    from sklearn.datasets import load_digits  # bundled with the package: no network

    bunch = load_digits()
    x = np.asarray(bunch.data, dtype=np.float64)
    std = x.std(axis=0)
    x = (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return jnp.asarray(x), jnp.asarray(bunch.target, dtype=jnp.int32)


def adding_problem(key: jax.Array, num_sequences: int, length: int) -> tuple[jax.Array, jax.Array]:
    """Hochreiter & Schmidhuber's adding problem.

    Each step carries two numbers: a value drawn uniformly from [0, 1] and a marker that
    is 1 at exactly two steps (one in each half of the sequence) and 0 elsewhere. The
    target is the sum of the two marked values, so the answer depends on inputs up to
    `length` steps back. Predicting the mean (1.0) gives a mean squared error of 1/6.

    Returns xs shaped (length, num_sequences, 2) and targets shaped (num_sequences, 1).
    """
    if length < 2:
        raise ValueError("the adding problem needs sequences of length 2 or more")
    k_values, k_first, k_second = jax.random.split(key, 3)
    values = jax.random.uniform(k_values, (num_sequences, length))
    half = length // 2
    first = jax.random.randint(k_first, (num_sequences,), 0, half)
    second = jax.random.randint(k_second, (num_sequences,), half, length)
    steps = jnp.arange(length)
    markers = ((steps == first[:, None]) | (steps == second[:, None])).astype(values.dtype)
    targets = jnp.sum(values * markers, axis=1, keepdims=True)
    xs = jnp.stack([values, markers], axis=-1).transpose(1, 0, 2)
    return xs, targets
