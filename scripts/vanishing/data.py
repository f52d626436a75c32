"""Data sets that need no download: scikit-learn's bundled digits and synthetic tasks."""

import functools
import importlib.util
from pathlib import Path

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
import numpy as np


def digits_file() -> Path:
    """scikit-learn's bundled copy of the digits, found without importing scikit-learn.

    `sklearn.datasets.load_digits` reads this same file; importing scikit-learn to call
    it takes longer (about a second) than everything else a small figure script does.
    """
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("scikit-learn is not installed: it ships the digits data (see requirements.txt)")
    return Path(spec.submodule_search_locations[0]) / "datasets" / "data" / "digits.csv.gz"


@functools.cache
def digits_raw() -> tuple[np.ndarray, np.ndarray]:
    """The digits as scikit-learn ships them: pixels 0..16, shaped (1797, 64), and labels 0..9.

    Small integers, so the explorer can ship them to the browser compactly.
    """
    table = np.loadtxt(digits_file(), delimiter=",")  # 64 pixels, then the label
    return table[:, :-1].astype(np.uint8), table[:, -1].astype(np.int32)


@functools.cache  # many scripts ask for it
def digits() -> tuple[jax.Array, jax.Array]:
    """The 1,797 8x8 handwritten digits shipped inside scikit-learn.

    Pixels (0..16) are standardized per pixel to mean 0 and variance 1 (constant
    pixels are left at 0). Returns (x of shape (1797, 64), integer labels 0..9).
    """
    pixels, labels = digits_raw()
    x = pixels.astype(np.float64)
    std = x.std(axis=0)
    x = (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return jnp.asarray(x), jnp.asarray(labels, dtype=jnp.int32)


def adding_problem_marker_blind_mse(length: int) -> float:
    """The mean squared error of the best answer that ignores the markers: the mean of the
    first half plus the mean of the second. A marked value is uniform on [0, 1] (variance
    1/12) and is one of the h values of its half, so the half's mean misses it by
    (1/12)(1 - 1/h) in mean square; the two halves add. Below this, a network uses the markers.
    """
    halves = (length // 2, length - length // 2)
    return sum((1 - 1 / h) / 12 for h in halves)


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
