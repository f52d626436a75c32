"""Gradient clipping: rescale the whole gradient when its norm exceeds a threshold.

    g <- g * min(1, c / ||g||)

The direction is kept and only the step length is capped, so one huge gradient (an
"exploding" one) cannot throw the weights far away. It does nothing for a vanishing
gradient: a tiny gradient is below the threshold and is left exactly as it is.
(Pascanu, Mikolov and Bengio 2013.)
"""

from typing import Callable

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
from jax import lax

from .training import TrainConfig, epoch_batches


def global_norm(tree) -> jax.Array:
    """The Euclidean norm of all leaves together, as if they were one long vector."""
    return jnp.sqrt(sum(jnp.sum(leaf**2) for leaf in jax.tree.leaves(tree)))


def clip_by_global_norm(tree, threshold: float):
    """Scale every leaf by min(1, threshold / ||tree||); a zero gradient stays zero."""
    norm = global_norm(tree)
    scale = jnp.where(norm > threshold, threshold / jnp.where(norm > 0, norm, 1.0), 1.0)
    return jax.tree.map(lambda leaf: leaf * scale, tree)


def sgd_train_clipped(
    init_params: Callable[[jax.Array], dict],
    loss_fn: Callable[[dict, jax.Array, jax.Array], jax.Array],
    x: jax.Array,
    y: jax.Array,
    cfg: TrainConfig,
    seeds,
    thresholds=jnp.inf,
    learning_rates=None,
) -> dict:
    """Mini-batch SGD (with momentum) on clipped gradients, many runs in one compiled call.

    Run i uses seeds[i], thresholds[i] and learning_rates[i] (scalars are broadcast;
    learning_rates defaults to cfg.learning_rate). The seed picks the initial weights
    and the batches exactly as in `training.sgd_train`; a threshold of inf never clips.
    Because threshold and learning rate are traced, not baked in, comparing them costs
    one compilation. Returns `loss` and `grad_norm` (the global norm before clipping),
    each shaped (runs, steps), and the final `params`.
    """
    n = x.shape[0]
    keys = jnp.stack([jax.random.PRNGKey(s) for s in seeds])
    runs = keys.shape[0]
    thresholds = jnp.broadcast_to(jnp.asarray(thresholds, dtype=jnp.float64), (runs,))
    if learning_rates is None:
        learning_rates = cfg.learning_rate
    learning_rates = jnp.broadcast_to(jnp.asarray(learning_rates, dtype=jnp.float64), (runs,))

    def run(key, threshold, lr):
        init_key, data_key = jax.random.split(key)
        params0 = init_params(init_key)
        velocity0 = jax.tree.map(jnp.zeros_like, params0)
        batches = epoch_batches(data_key, n, cfg.batch_size, cfg.steps)

        def step(state, idx):
            params, velocity = state
            loss, grads = jax.value_and_grad(loss_fn)(params, x[idx], y[idx])
            clipped = clip_by_global_norm(grads, threshold)
            velocity = jax.tree.map(lambda v, g: cfg.momentum * v + g, velocity, clipped)
            params = jax.tree.map(lambda p, v: p - lr * v, params, velocity)
            return (params, velocity), {"loss": loss, "grad_norm": global_norm(grads)}

        (params, _), history = lax.scan(step, (params0, velocity0), batches)
        history["params"] = params
        return history

    return jax.jit(jax.vmap(run))(keys, thresholds, learning_rates)
