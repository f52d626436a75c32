"""A small mini-batch SGD trainer that watches every layer while it learns.

At every step it records the mini-batch loss, the gradient norm of each layer and how
far each layer's weights have moved from where they started. That is the evidence a
flat loss curve alone cannot give: whether the early layers are learning at all.
Runs for several seeds are vmapped, so a figure can show the spread, not one lucky run.
"""

from dataclasses import dataclass
from typing import Callable

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
from jax import lax

from . import clipping, losses, networks


@dataclass(frozen=True)
class TrainConfig:
    steps: int
    batch_size: int
    learning_rate: float
    momentum: float = 0.0  # heavy-ball momentum; 0 is plain SGD


def momentum_step(params, velocity, grads, learning_rate, momentum):
    """One step of SGD with heavy-ball momentum, the only definition the library has:
    v <- momentum * v + g, then p <- p - learning_rate * v (momentum 0 is plain SGD).
    Returns (params, velocity)."""
    velocity = jax.tree.map(lambda v, g: momentum * v + g, velocity, grads)
    params = jax.tree.map(lambda p, v: p - learning_rate * v, params, velocity)
    return params, velocity


def epoch_batches(key: jax.Array, n: int, batch_size: int, steps: int) -> jax.Array:
    """Mini-batch indices for every step, shaped (steps, batch_size).

    Each epoch is a fresh shuffle of all n examples cut into batches, so every example is
    seen once per epoch (the last partial batch of an epoch is dropped). Drawing all the
    shuffles up front keeps the training loop itself free of sorting.
    """
    per_epoch = n // batch_size
    epochs = -(-steps // per_epoch)
    perms = jax.vmap(lambda k: jax.random.permutation(k, n))(jax.random.split(key, epochs))
    return perms[:, : per_epoch * batch_size].reshape(epochs * per_epoch, batch_size)[:steps]


def sgd_train(
    init_params: Callable[[jax.Array], dict],
    loss_fn: Callable[[dict, jax.Array, jax.Array], jax.Array],
    layer_norms: Callable[[dict], jax.Array],
    x: jax.Array,
    y: jax.Array,
    cfg: TrainConfig,
    seeds,
    learning_rates=None,
    clip_thresholds=jnp.inf,
) -> dict:
    """Train one model per seed; the seed picks both the initial weights and the batches.

    `layer_norms(tree)` maps a parameter-shaped tree to one norm per layer; it is applied
    to the gradient (learning speed) and to the weights' displacement from their start.

    Run i may also have its own learning rate and gradient-clipping threshold
    (`learning_rates[i]`, default cfg.learning_rate; `clip_thresholds[i]`, default inf,
    never clip; scalars apply to every run). They are traced, not baked in, so comparing
    several settings costs one compilation.

    Returns arrays with a leading run axis: `loss` (steps,), `grad_norm` and
    `weight_change` (steps, layers), where weight_change is ||W_t - W_0|| / ||W_0||,
    `global_grad_norm` (steps,) before clipping, and the final `params`.
    """
    n = x.shape[0]
    if cfg.batch_size > n:
        raise ValueError(f"batch_size {cfg.batch_size} exceeds the {n} training examples")
    keys = jnp.stack([jax.random.PRNGKey(s) for s in seeds])
    runs = keys.shape[0]
    rates = jnp.broadcast_to(jnp.asarray(cfg.learning_rate if learning_rates is None else learning_rates,
                                         dtype=jnp.float64), (runs,))
    thresholds = jnp.broadcast_to(jnp.asarray(clip_thresholds, dtype=jnp.float64), (runs,))

    def run(key, lr, threshold):
        init_key, data_key = jax.random.split(key)
        params0 = init_params(init_key)
        start_norms = layer_norms(params0)
        velocity0 = jax.tree.map(jnp.zeros_like, params0)

        batches = epoch_batches(data_key, n, cfg.batch_size, cfg.steps)

        def step(state, idx):
            params, velocity = state
            loss, grads = jax.value_and_grad(loss_fn)(params, x[idx], y[idx])
            clipped = clipping.clip_by_global_norm(grads, threshold)
            params, velocity = momentum_step(params, velocity, clipped, lr, cfg.momentum)
            moved = jax.tree.map(lambda p, p0: p - p0, params, params0)
            record = {
                "loss": loss,
                "grad_norm": layer_norms(grads),
                "global_grad_norm": clipping.global_norm(grads),
                "weight_change": layer_norms(moved) / start_norms,
            }
            return (params, velocity), record

        (params, _), history = lax.scan(step, (params0, velocity0), batches)
        history["params"] = params
        return history

    return jax.jit(jax.vmap(run))(keys, rates, thresholds)


def train_mlp(net: networks.MLPConfig, cfg: TrainConfig, x, y, seeds, loss: str = "cross_entropy", **per_run) -> dict:
    """`sgd_train` for an MLP: per-layer norms are those of the weight matrices.

    `per_run` passes `learning_rates` and `clip_thresholds` through to `sgd_train`.
    """
    loss_of_output = losses.get(loss)

    def loss_fn(params, xb, yb):
        logits, _ = networks.forward(params, net, xb)
        return loss_of_output(logits, yb)

    return sgd_train(
        lambda key: networks.init_params(key, net),
        loss_fn,
        networks.layer_weight_norms,
        x,
        y,
        cfg,
        seeds,
        **per_run,
    )


def accuracy(logits: jax.Array, labels: jax.Array) -> jax.Array:
    return jnp.mean(jnp.argmax(logits, axis=-1) == labels)
