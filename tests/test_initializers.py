"""Each initialization draws weights with the variance its formula promises."""

import jax
import jax.numpy as jnp
import pytest

from vanishing import initializers

FAN_IN, FAN_OUT = 400, 300


@pytest.mark.parametrize(
    "scheme, expected",
    [
        ("standard_normal", 1.0),
        ("lecun", 1.0 / FAN_IN),
        ("xavier", 2.0 / (FAN_IN + FAN_OUT)),
        ("he", 2.0 / FAN_IN),
    ],
)
def test_empirical_variance_matches_the_formula(scheme, expected):
    assert initializers.weight_variance(scheme, FAN_IN, FAN_OUT) == pytest.approx(expected)
    w = initializers.init_weight(jax.random.PRNGKey(0), scheme, FAN_IN, FAN_OUT)
    assert w.shape == (FAN_IN, FAN_OUT) and w.dtype == jnp.float64
    # 120,000 draws: the sample variance is within 1% of the truth with overwhelming odds.
    assert float(jnp.var(w)) == pytest.approx(expected, rel=0.02)
    assert abs(float(jnp.mean(w))) < 0.02 * expected**0.5


def test_unknown_scheme_is_rejected():
    with pytest.raises(ValueError, match="xavier"):
        initializers.weight_variance("glorious", 2, 2)
