"""The download-free data sets have the shapes and statistics their docstrings promise."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from vanishing import data


def test_digits_are_standardized_and_labelled():
    x, y = data.digits()
    assert x.shape == (1797, 64) and y.shape == (1797,)
    assert set(np.unique(np.asarray(y))) == set(range(10))
    varying = np.asarray(x).std(axis=0) > 0
    np.testing.assert_allclose(np.asarray(x).mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(np.asarray(x).std(axis=0)[varying], 1, rtol=1e-12)


def test_digits_are_the_ones_scikit_learn_loads():
    """We read scikit-learn's file directly (importing it is slow): same images, same labels."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x, y = data.digits()
    pixels = bunch.data.astype(np.float64)
    std = pixels.std(axis=0)
    np.testing.assert_array_equal(np.asarray(y), bunch.target)
    np.testing.assert_allclose(np.asarray(x), (pixels - pixels.mean(axis=0)) / np.where(std > 0, std, 1.0), atol=1e-12)


def test_adding_problem_marks_one_value_in_each_half_and_sums_them():
    length = 30
    xs, targets = data.adding_problem(jax.random.PRNGKey(3), 500, length)
    assert xs.shape == (length, 500, 2) and targets.shape == (500, 1)
    values, markers = np.asarray(xs[..., 0]).T, np.asarray(xs[..., 1]).T
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, : length // 2].sum(axis=1) == 1)
    np.testing.assert_allclose((values * markers).sum(axis=1), np.asarray(targets[:, 0]))
    assert 0 <= values.min() and values.max() <= 1
    # Always guessing the mean target 1 gives a mean squared error of 1/6.
    assert float(jnp.mean((targets - 1.0) ** 2)) == pytest.approx(1 / 6, rel=0.15)



def test_the_marker_blind_baseline_of_the_adding_problem_is_the_mean_of_each_half():
    """Adding up the two halves' means, without looking at the markers, scores the closed form."""
    length = 20
    xs, targets = data.adding_problem(jax.random.PRNGKey(4), 20000, length)
    values = np.asarray(xs[..., 0]).T
    guess = values[:, : length // 2].mean(axis=1) + values[:, length // 2:].mean(axis=1)
    mse = float(np.mean((np.asarray(targets[:, 0]) - guess) ** 2))
    assert data.adding_problem_marker_blind_mse(length) == pytest.approx(0.15)
    assert mse == pytest.approx(data.adding_problem_marker_blind_mse(length), rel=0.03)
    assert mse < 1 / 6 * 0.95  # better than always answering 1, without the markers
