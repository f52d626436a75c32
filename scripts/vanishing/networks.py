"""A multilayer perceptron of any depth and width, optionally residual and batch-normalized.

Layout (depth = number of hidden layers, each one affine map + optional batch norm +
activation):

    h_1 = phi(BN(x W_1 + b_1))
    h_l = phi(BN(h_{l-1} W_l + b_l))                      plain,    l = 2..depth
    h_l = h_{l-1} + branch_scale * phi(BN(h_{l-1} W_l + b_l))   residual
    logits = h_depth W_out + b_out

The width-to-width layers are stacked into one array and run with `lax.scan`, so a
100-layer network compiles as fast as a 2-layer one. Every hidden state can receive an
additive "probe" (zero by default); the gradient of the loss with respect to the probes
is exactly dL/dh_l, which is how `gradients.py` measures the backward signal per layer.
"""

import functools
import math
from dataclasses import dataclass

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import activations, initializers

BN_EPSILON = 1e-5
# The branch scale of the site's deep residual experiments (chapter 3's training, the
# explorer's residual presets, the chapter 3 notebook): with 1, every layer adds a
# unit-size term, and a 100-layer network's first answers would be far too large.
RESIDUAL_BRANCH_SCALE = 0.1


@dataclass(frozen=True)
class MLPConfig:
    depth: int
    width: int
    in_dim: int
    out_dim: int
    activation: str = "sigmoid"
    init: str = "xavier"
    residual: bool = False
    batchnorm: bool = False
    branch_scale: float = 1.0

    def __post_init__(self):
        if self.depth < 1 or self.width < 1:
            raise ValueError(f"depth and width must be at least 1, got {self.depth}, {self.width}")
        activations.get(self.activation)
        initializers.weight_variance(self.init, 1, 1)

    @property
    def num_weight_layers(self) -> int:
        """Hidden layers plus the read-out layer: one weight matrix each."""
        return self.depth + 1


def init_params(key: jax.Array, cfg: MLPConfig, gain: float = 1.0) -> dict:
    """Weights drawn by the configured scheme; biases 0; batch-norm scale 1, shift 0.

    `gain` multiplies every weight (gain > 1: weights too large, < 1: too small).
    All weights come from one standard-normal draw, cut up and scaled per matrix: each
    random-number call costs compile time, and experiments compile many networks.
    """
    flat = jax.random.normal(key, (_weight_count(cfg),), dtype=jnp.float64)
    return _assemble(flat, cfg, gain, jnp)


def _weight_shapes(cfg: MLPConfig) -> dict:
    return {"w_in": (cfg.in_dim, cfg.width), "w_hidden": (cfg.depth - 1, cfg.width, cfg.width),
            "w_out": (cfg.width, cfg.out_dim)}


def _weight_count(cfg: MLPConfig) -> int:
    return sum(math.prod(shape) for shape in _weight_shapes(cfg).values())


def _assemble(flat, cfg: MLPConfig, gain: float, xp) -> dict:
    """Parameters from standard-normal draws (last axis of `flat`), with `xp` = jnp or np."""
    lead = flat.shape[:-1]
    params, start = {}, 0
    for name, shape in _weight_shapes(cfg).items():
        size = math.prod(shape)
        std = gain * math.sqrt(initializers.weight_variance(cfg.init, *shape[-2:]))
        params[name] = std * flat[..., start:start + size].reshape(*lead, *shape)
        start += size
    params.update({
        "b_in": xp.zeros((*lead, cfg.width)),
        "b_hidden": xp.zeros((*lead, cfg.depth - 1, cfg.width)),
        "b_out": xp.zeros((*lead, cfg.out_dim)),
        "gamma": xp.ones((*lead, cfg.depth, cfg.width)),
        "beta": xp.zeros((*lead, cfg.depth, cfg.width)),
    })
    return params


@functools.partial(jax.jit, static_argnums=1)
def _standard_normal(key: jax.Array, size: int) -> jax.Array:
    return jax.random.normal(key, (size,), dtype=jnp.float64)


def init_many(cfg: MLPConfig, seeds, gain: float = 1.0) -> dict:
    """One network per seed (key = PRNGKey(seed)), stacked along a leading axis for `jax.vmap`.

    The same numbers as `init_params(PRNGKey(seed), cfg, gain)`, made the cheap way: the
    compiled random draw depends only on how many numbers it makes, so every network
    with the same shapes (whatever its activation, scheme or gain) shares one
    compilation, and the seeds run one after another through it (a vmapped draw takes
    longer to compile than this loop takes to run). Cutting and scaling happen in NumPy,
    which compiles nothing.
    """
    return init_from_keys(cfg, [jax.random.PRNGKey(s) for s in seeds], gain)


def init_from_keys(cfg: MLPConfig, keys, gain: float = 1.0) -> dict:
    """`init_params(key, cfg, gain)` for every key, stacked, made the cheap way of `init_many`."""
    draws = np.stack([np.asarray(_standard_normal(key, _weight_count(cfg))) for key in keys])
    return _assemble(draws, cfg, gain, np)


def batch_norm(z: jax.Array, gamma: jax.Array, beta: jax.Array) -> jax.Array:
    """Normalize each unit over the batch (training-mode statistics), then scale and shift."""
    mean = z.mean(axis=0)
    var = z.var(axis=0)
    return gamma * (z - mean) / jnp.sqrt(var + BN_EPSILON) + beta


# --8<-- [start:hidden_layer]
def hidden_layer(h, w, b, gamma, beta, act, residual=False, batchnorm=False, branch_scale=1.0):
    """One hidden layer, the only definition the library has: returns (z, h_next).

    z = BN(h W + b) is what the activation sees (BN only with batch norm), and
    h_next = h + branch_scale * phi(z) with residual connections, phi(z) without.
    `residual` and `batchnorm` are Python booleans (decided while tracing) or traced 0/1
    values, so that one compiled function can serve networks with and without them.
    """
    z = h @ w + b
    if isinstance(batchnorm, (bool, int)):
        z = batch_norm(z, gamma, beta) if batchnorm else z
    else:  # a traced flag: lax.cond runs only the chosen branch (both, under vmap)
        z = lax.cond(batchnorm > 0, batch_norm, lambda z, gamma, beta: z, z, gamma, beta)
    a = act(z)
    if isinstance(residual, (bool, int)):
        return z, (h + branch_scale * a if residual else a)
    return z, jnp.where(residual > 0, h + branch_scale * a, a)
# --8<-- [end:hidden_layer]


def forward(params: dict, cfg: MLPConfig, x: jax.Array, probes: jax.Array | None = None):
    """Run the network on a batch.

    Returns (logits, trace) where trace holds, for every hidden layer, the
    pre-activations `z` (after batch norm when enabled: what the activation sees)
    and the hidden states `h`, each shaped (depth, batch, width).
    """
    act = activations.get(cfg.activation).fn
    if probes is None:
        probes = jnp.zeros((cfg.depth, x.shape[0], cfg.width))

    # The first layer maps the input to the width: never residual.
    z1, h1 = hidden_layer(x, params["w_in"], params["b_in"], params["gamma"][0], params["beta"][0], act,
                          batchnorm=cfg.batchnorm)
    h1 = h1 + probes[0]

    def layer(h, layer_inputs):
        w, b, gamma, beta, probe = layer_inputs
        z, h_next = hidden_layer(h, w, b, gamma, beta, act, cfg.residual, cfg.batchnorm, cfg.branch_scale)
        h_next = h_next + probe
        return h_next, (z, h_next)

    h_last, (zs, hs) = lax.scan(
        layer,
        h1,
        (params["w_hidden"], params["b_hidden"], params["gamma"][1:], params["beta"][1:], probes[1:]),
    )
    logits = h_last @ params["w_out"] + params["b_out"]
    trace = {
        "z": jnp.concatenate([z1[None], zs]),
        "h": jnp.concatenate([h1[None], hs]),
    }
    return logits, trace


def layer_weight_norms(params: dict) -> jax.Array:
    """Frobenius norm of every weight matrix, input layer first, read-out last."""
    return jnp.concatenate(
        [
            jnp.linalg.norm(params["w_in"])[None],
            jnp.sqrt(jnp.sum(params["w_hidden"] ** 2, axis=(1, 2))),
            jnp.linalg.norm(params["w_out"])[None],
        ]
    )
