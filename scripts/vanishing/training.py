"""A small mini-batch trainer that watches every layer while it learns.

At every step it records the mini-batch loss, the gradient norm of each layer and how
far each layer's weights have moved from where they started. That is the evidence a
flat loss curve alone cannot give: whether the early layers are learning at all.
Runs for several seeds are vmapped, so a figure can show the spread, not one lucky run.

The step is plain SGD (with optional heavy-ball momentum), or Adam (Kingma and Ba 2015),
which divides every parameter's step by a running estimate of that parameter's own
gradient size. Each run may also scale the learning rate of every parameter separately
(`lr_scales`), for instance one rate per layer.
"""

import functools
from dataclasses import dataclass, replace
from typing import Callable

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import clipping, losses, networks


OPTIMIZERS = ("sgd", "adam")


@dataclass(frozen=True)
class TrainConfig:
    steps: int
    batch_size: int
    learning_rate: float
    momentum: float = 0.0  # heavy-ball momentum; 0 is plain SGD
    optimizer: str = "sgd"  # "sgd" (with `momentum`) or "adam"
    adam_betas: tuple[float, float] = (0.9, 0.999)  # Adam's decay rates (Kingma and Ba's defaults)
    adam_eps: float = 1e-8  # added to Adam's divisor, so a zero gradient gives a zero step

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")


def optimizer_start(cfg: TrainConfig, params: dict):
    """The optimizer's memory before the first step: SGD's velocity, or Adam's two averages."""
    zeros = jax.tree.map(jnp.zeros_like, params)
    return zeros if cfg.optimizer == "sgd" else (zeros, zeros)


def optimizer_direction(cfg: TrainConfig, state, grads, step: jax.Array):
    """(direction, new state) for step number `step` (1, 2, ...); the update is -lr * direction.

    SGD: the (momentum-averaged) gradient itself, so a layer with a tiny gradient takes a
    tiny step. Adam: each parameter's averaged gradient m divided by the root of its
    averaged square v, both corrected for starting at 0: a step of about the same size
    for every parameter, however small its gradient, as long as it is well above eps.
    """
    if cfg.optimizer == "sgd":
        velocity = momentum_velocity(state, grads, cfg.momentum)
        return velocity, velocity
    (b1, b2), (m, v) = cfg.adam_betas, state
    m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
    v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g**2, v, grads)
    direction = jax.tree.map(
        lambda m, v: (m / (1 - b1**step)) / (jnp.sqrt(v / (1 - b2**step)) + cfg.adam_eps), m, v)
    return direction, (m, v)


def mixed_direction(cfg: TrainConfig, states: tuple, grads, step: jax.Array, kind: jax.Array):
    """Like `optimizer_direction`, for a run whose optimizer is chosen by a traced index.

    `states` holds the memory of every optimizer in OPTIMIZERS; each is updated, and run
    `kind` (an index into OPTIMIZERS) takes its own optimizer's direction. Runs with
    different optimizers can then share one compiled trainer.
    """
    results = [optimizer_direction(replace(cfg, optimizer=o), s, grads, step) for o, s in zip(OPTIMIZERS, states)]
    direction = jax.tree.map(lambda *ds: jnp.stack(ds)[kind], *[d for d, _ in results])
    return direction, tuple(s for _, s in results)


def seed_keys(seed: int) -> tuple[jax.Array, jax.Array]:
    """The two keys `sgd_train` makes from a seed: one for the starting weights, one for the batches."""
    init_key, data_key = jax.random.split(jax.random.PRNGKey(seed))
    return init_key, data_key


def start_networks(net: networks.MLPConfig, seeds, gain: float = 1.0) -> dict:
    """The MLPs `sgd_train` starts from for these seeds (`init_params` of each seed's first
    key), stacked, made the cheap way of `networks.init_from_keys`."""
    return networks.init_from_keys(net, [seed_keys(s)[0] for s in seeds], gain)


def momentum_velocity(velocity, grads, momentum):
    """Heavy-ball momentum, the only definition the library has: v <- momentum * v + g."""
    return jax.tree.map(lambda v, g: momentum * v + g, velocity, grads)


def momentum_step(params, velocity, grads, learning_rate, momentum):
    """One step of SGD with momentum: v <- momentum * v + g, then p <- p - learning_rate * v
    (momentum 0 is plain SGD). `sgd_train` takes the same step (`optimizer_direction`).
    Returns (params, velocity)."""
    velocity = momentum_velocity(velocity, grads, momentum)
    return jax.tree.map(lambda p, v: p - learning_rate * v, params, velocity), velocity


def epoch_batches(key: jax.Array, n: int, batch_size: int, steps: int) -> np.ndarray:
    """Mini-batch indices for every step, shaped (steps, batch_size).

    Each epoch is a fresh shuffle of all n examples cut into batches, so every example is
    seen once per epoch (the last partial batch of an epoch is dropped). The shuffles are
    drawn before training, outside the training program: the program then compiles in
    less time, and one compiled shuffle (per n) serves every run of every experiment.
    """
    per_epoch = n // batch_size
    epochs = -(-steps // per_epoch)
    perms = np.stack([_permutation(k, n) for k in jax.random.split(key, epochs)])
    return perms[:, : per_epoch * batch_size].reshape(epochs * per_epoch, batch_size)[:steps]


@functools.partial(jax.jit, static_argnums=1)
def _permutation(key: jax.Array, n: int) -> jax.Array:
    return jax.random.permutation(key, n)


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
    lr_scales=None,
    start_params=None,
    watch: Callable[[dict, dict], dict] | None = None,
    optimizers=None,
) -> dict:
    """Train one model per seed; the seed picks both the initial weights and the batches.

    `layer_norms(tree)` maps a parameter-shaped tree to one norm per layer; it is applied
    to the gradient (learning speed) and to the weights' displacement from their start.

    Run i may also have its own learning rate and gradient-clipping threshold
    (`learning_rates[i]`, default cfg.learning_rate; `clip_thresholds[i]`, default inf,
    never clip; scalars apply to every run). They are traced, not baked in, so comparing
    several settings costs one compilation. `lr_scales`, a parameter-shaped tree with a
    leading run axis, multiplies the learning rate of every single parameter (for
    example one rate per layer); None leaves every rate as it is. `start_params`, also
    with a leading run axis, replaces `init_params` for runs that must start from chosen
    weights (the seed then picks only the batches). `optimizers` names each run's
    optimizer (one of OPTIMIZERS; default: cfg.optimizer for every run), so SGD and Adam
    runs can share one compilation.

    Returns arrays with a leading run axis: `loss` (steps,), `grad_norm` and
    `weight_change` (steps, layers), where weight_change is ||W_t - W_0|| / ||W_0||,
    `global_grad_norm` (steps,) before clipping, the final `params` and the
    `start_params`; plus whatever `watch(params, grads)` returns at every step (before
    the update).
    """
    n = x.shape[0]
    if cfg.batch_size > n:
        raise ValueError(f"batch_size {cfg.batch_size} exceeds the {n} training examples")
    keys = [seed_keys(s) for s in seeds]
    runs = len(keys)
    # The starting weights and the batches are made before the training program, not
    # inside it: the same numbers, and the program compiles in 40% less time.
    if start_params is None:
        init = jax.jit(init_params)
        start_params = jax.tree.map(lambda *a: np.stack(a), *[init(init_key) for init_key, _ in keys])
    batches = np.stack([epoch_batches(data_key, n, cfg.batch_size, cfg.steps) for _, data_key in keys])
    rates = jnp.broadcast_to(jnp.asarray(cfg.learning_rate if learning_rates is None else learning_rates,
                                         dtype=jnp.float64), (runs,))
    thresholds = jnp.broadcast_to(jnp.asarray(clip_thresholds, dtype=jnp.float64), (runs,))
    kinds = None if optimizers is None else jnp.asarray([OPTIMIZERS.index(o) for o in optimizers])

    def run(batches, lr, threshold, scales, params0, kind):
        start_norms = layer_norms(params0)

        def step(state, inputs):
            params, memory = state
            t, idx = inputs
            loss, grads = jax.value_and_grad(loss_fn)(params, x[idx], y[idx])
            watched = watch(params, grads) if watch else {}
            clipped = clipping.clip_by_global_norm(grads, threshold)
            if kind is None:
                direction, memory = optimizer_direction(cfg, memory, clipped, t)
            else:
                direction, memory = mixed_direction(cfg, memory, clipped, t, kind)
            if scales is not None:
                direction = jax.tree.map(lambda s, d: s * d, scales, direction)
            params = jax.tree.map(lambda p, d: p - lr * d, params, direction)
            moved = jax.tree.map(lambda p, p0: p - p0, params, params0)
            record = {
                "loss": loss,
                "grad_norm": layer_norms(grads),
                "global_grad_norm": clipping.global_norm(grads),
                "weight_change": layer_norms(moved) / start_norms,
                **watched,
            }
            return (params, memory), record

        steps = jnp.arange(1, cfg.steps + 1, dtype=jnp.float64)
        memory = (optimizer_start(cfg, params0) if kind is None
                  else tuple(optimizer_start(replace(cfg, optimizer=o), params0) for o in OPTIMIZERS))
        (params, _), history = lax.scan(step, (params0, memory), (steps, batches))
        history["params"] = params
        history["start_params"] = params0
        return history

    return jax.jit(jax.vmap(run))(batches, rates, thresholds, lr_scales, start_params, kinds)


def train_mlp(net: networks.MLPConfig, cfg: TrainConfig, x, y, seeds, loss: str = "cross_entropy", **per_run) -> dict:
    """`sgd_train` for an MLP: per-layer norms are those of the weight matrices.

    `per_run` passes `learning_rates`, `clip_thresholds`, `lr_scales`, `start_params`,
    `watch` and `optimizers` through to `sgd_train`.
    """
    loss_of_output = losses.get(loss)

    def loss_fn(params, xb, yb):
        logits, _ = networks.forward(params, net, xb)
        return loss_of_output(logits, yb)

    if per_run.get("start_params") is None:
        per_run["start_params"] = start_networks(net, seeds)
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
