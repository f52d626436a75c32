"""Gradient clipping: rescale the whole gradient when its norm exceeds a threshold.

    g <- g * min(1, c / ||g||)

The direction is kept and only the step length is capped, so one huge gradient (an
"exploding" one) cannot throw the weights far away. It does nothing for a vanishing
gradient: a tiny gradient is below the threshold and is left exactly as it is.
(Pascanu, Mikolov and Bengio 2013.) `training.sgd_train` applies it to every step when
given a threshold.
"""

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp


def global_norm(tree) -> jax.Array:
    """The Euclidean norm of all leaves together, as if they were one long vector."""
    return jnp.sqrt(sum(jnp.sum(leaf**2) for leaf in jax.tree.leaves(tree)))


def clip_by_global_norm(tree, threshold: float):
    """Scale every leaf by min(1, threshold / ||tree||); a zero gradient stays zero."""
    norm = global_norm(tree)
    scale = jnp.where(norm > threshold, threshold / jnp.where(norm > 0, norm, 1.0), 1.0)
    return jax.tree.map(lambda leaf: leaf * scale, tree)
