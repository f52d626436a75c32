"""Many networks as one: networks of several depths and configurations, one compilation.

Figures that compare depths or configurations would compile one network per
combination, a second or two each, so:

* the choices other than depth are *data* (a `Choice` of small arrays): the activation is
  picked by `lax.switch`, the initialization is a weight scale looked up in a table,
  residual connections and batch norm are 0/1 flags. Under `jax.vmap` with a batched
  choice XLA computes every option and selects; with an unbatched one (inside `lax.map`)
  it runs only the chosen branch;
* networks of different depths are *packed* end to end into one lane (`Layout`): a single
  `lax.scan` runs through the hidden layers of the 2-layer network, then those of the
  5-layer one, and so on, starting each network afresh from its own first layer. No layer
  is computed that is not used, which a stack padded to the largest depth would waste.

This module is layout only: every layer is the library's `networks.hidden_layer` and every
update `training.momentum_step`, so each network in a lane is exactly the library's
`networks.MLPConfig` network with its own parameters; the lane's loss is the sum of the
networks' losses, so each network's gradient is its own. `tests/test_packed.py` checks
losses, per-layer gradients and SGD against the library to float64 precision.
"""

import functools
from dataclasses import dataclass
from typing import NamedTuple

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import activations, initializers, losses, networks, training

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "gelu")
INITS = ("standard_normal", "xavier", "he")
MAX_DEPTH = 100


class Choice(NamedTuple):
    """Everything but the depth, as arrays (stack them along a leading axis to vmap over a grid)."""

    activation: jax.Array  # index into ACTIVATIONS
    init: jax.Array  # index into INITS
    residual: jax.Array  # 0 or 1
    batchnorm: jax.Array  # 0 or 1
    branch_scale: float  # residual branches are scaled by it, as networks.MLPConfig.branch_scale


def choice(activation: str, init: str, residual: bool, batchnorm: bool, branch_scale: float = 1.0) -> Choice:
    """A Choice from readable names (validated against the library's own names).

    `branch_scale` has networks.MLPConfig's default, so the same words mean the same network.
    """
    for name, allowed in ((activation, ACTIVATIONS), (init, INITS)):
        if name not in allowed:
            raise ValueError(f"unknown choice {name!r}: expected one of {', '.join(allowed)}")
    return Choice(jnp.asarray(ACTIVATIONS.index(activation)), jnp.asarray(INITS.index(init)),
                  jnp.asarray(float(residual)), jnp.asarray(float(batchnorm)), branch_scale)


def stack(choices: list[Choice]) -> Choice:
    """Many choices as one Choice of arrays with a leading grid axis."""
    return Choice(*(jnp.stack(field) for field in zip(*choices)))


@dataclass(frozen=True)
class Layout:
    """Networks of these depths (hidden layers each), packed one after another in a lane.

    Hidden states are numbered network by network: first every network's layer 1 (they
    come straight from the input), then the "slots", the layers 2..depth of network 0,
    then those of network 1, and so on.
    """

    depths: tuple[int, ...]

    def __post_init__(self):
        if not self.depths or not all(1 <= d <= MAX_DEPTH for d in self.depths):
            raise ValueError(f"depths must be between 1 and {MAX_DEPTH}, got {self.depths}")

    @property
    def nets(self) -> int:
        return len(self.depths)

    @functools.cached_property
    def slot_layer(self) -> np.ndarray:
        """Layer number (2..depth) of every slot within its own network."""
        return np.concatenate([np.arange(2, d + 1) for d in self.depths]).astype(int)

    @functools.cached_property
    def slot_net(self) -> np.ndarray:
        """Which network every slot belongs to."""
        return np.concatenate([np.full(d - 1, j) for j, d in enumerate(self.depths)]).astype(int)

    @functools.cached_property
    def states(self) -> list[np.ndarray]:
        """For network j, the indices of its hidden states l = 1..depth among all states."""
        return [np.r_[j, self.nets + np.flatnonzero(self.slot_net == j)] for j in range(self.nets)]

    def per_network(self, values) -> list[np.ndarray]:
        """Split a per-state array (last axis: nets + slots) into one array per network, layer 1 first."""
        values = np.asarray(values)
        return [values[..., idx] for idx in self.states]


def standard_draws(key: jax.Array, in_dim: int, width: int, out_dim: int, max_depth: int = MAX_DEPTH) -> dict:
    """Unit-variance Gaussian weights for one max-depth stack (scaled later, per scheme).

    The library's own draw (`networks.init_params` with standard-normal weights). Every
    network of a lane starts from these: a depth-d network uses the first d - 1 hidden
    matrices, so deeper networks only add layers to shallower ones.
    """
    cfg = networks.MLPConfig(max_depth, width, in_dim, out_dim, init="standard_normal")
    params = networks.init_params(key, cfg)
    return {name: params[name] for name in ("w_in", "w_hidden", "w_out")}


def _std_table(fan_in: int, fan_out: int) -> jax.Array:
    """Weight standard deviation of every scheme in INITS, for one matrix shape."""
    return jnp.sqrt(jnp.array([initializers.weight_variance(s, fan_in, fan_out) for s in INITS]))


def init_params(draws: dict, init: jax.Array, layout: Layout) -> dict:
    """Every network's parameters: draws scaled by the scheme's std; biases 0, batch norm 1/0."""
    in_dim, width = draws["w_in"].shape
    out_dim = draws["w_out"].shape[1]
    if draws["w_hidden"].shape[0] + 1 < max(layout.depths):
        raise ValueError(f"draws hold {draws['w_hidden'].shape[0] + 1} layers, layout needs {max(layout.depths)}")
    nets, slots = layout.nets, len(layout.slot_layer)
    return {
        "w_in": jnp.broadcast_to(_std_table(in_dim, width)[init] * draws["w_in"], (nets, in_dim, width)),
        "b_in": jnp.zeros((nets, width)),
        "w_hidden": _std_table(width, width)[init] * draws["w_hidden"][layout.slot_layer - 2],
        "b_hidden": jnp.zeros((slots, width)),
        "w_out": jnp.broadcast_to(_std_table(width, out_dim)[init] * draws["w_out"], (nets, width, out_dim)),
        "b_out": jnp.zeros((nets, out_dim)),
        "gamma": jnp.ones((nets + slots, width)),  # one per hidden state, numbered as in Layout
        "beta": jnp.zeros((nets + slots, width)),
    }


def forward(params: dict, c: Choice, x: jax.Array, layout: Layout, probes=None):
    """Logits of every network of the lane, (nets, batch, out).

    `probes` (nets + slots, batch, width), zero by default, is added to each hidden state,
    as in `networks.forward`: the gradient with respect to it is dloss/dh.
    """
    fns = [activations.get(name).fn for name in ACTIVATIONS]
    nets, width = layout.nets, params["gamma"].shape[1]
    if probes is None:
        probes = jnp.zeros((params["gamma"].shape[0], x.shape[0], width))

    def act(z):
        return lax.switch(c.activation, fns, z)

    def first_layer(w, b, gamma, beta, probe):
        return networks.hidden_layer(x, w, b, gamma, beta, act, batchnorm=c.batchnorm)[1] + probe

    h1 = jax.vmap(first_layer)(params["w_in"], params["b_in"], params["gamma"][:nets], params["beta"][:nets],
                               probes[:nets])

    def slot(h, inputs):
        w, b, gamma, beta, probe, starts, h_start = inputs
        h = jnp.where(starts, h_start, h)  # a new network begins from its own first layer
        _, h_next = networks.hidden_layer(h, w, b, gamma, beta, act, c.residual, c.batchnorm, c.branch_scale)
        h_next = h_next + probe
        return h_next, h_next

    starts = jnp.asarray(layout.slot_layer == 2)
    _, hs = lax.scan(slot, jnp.zeros_like(h1[0]), (
        params["w_hidden"], params["b_hidden"], params["gamma"][nets:], params["beta"][nets:], probes[nets:],
        starts, h1[layout.slot_net]))
    last = jnp.asarray([idx[-1] for idx in layout.states])
    h_last = jnp.concatenate([h1, hs])[last]
    return jnp.einsum("nbw,nwo->nbo", h_last, params["w_out"]) + params["b_out"][:, None, :]


def _objective(params, probes, c, x, y, layout):
    per_net = jax.vmap(losses.cross_entropy, in_axes=(0, None))(forward(params, c, x, layout, probes), y)
    return per_net.sum(), per_net


def _signal(g_probes: jax.Array) -> jax.Array:
    """RMS over examples of ||dloss_i/dh|| for every hidden state (loss = mean over the batch)."""
    batch = g_probes.shape[1]
    return jnp.sqrt(jnp.mean((batch * jnp.linalg.norm(g_probes, axis=2)) ** 2, axis=1))


def layer_gradients(params: dict, c: Choice, x, y, layout: Layout) -> dict:
    """Like `gradients.layer_gradients`, for every network of the lane at once.

    `loss` (nets,); `hidden_grad_rms` per hidden state (split it with `layout.per_network`);
    weight-gradient norms `w_in` (nets,), `w_hidden` (slots,) and `w_out` (nets,).
    """
    probes = jnp.zeros((params["gamma"].shape[0], x.shape[0], params["gamma"].shape[1]))
    (_, per_net), (g, g_probes) = jax.value_and_grad(_objective, argnums=(0, 1), has_aux=True)(
        params, probes, c, x, y, layout)
    return {
        "loss": per_net,
        "hidden_grad_rms": _signal(g_probes),
        "w_in": jnp.sqrt(jnp.sum(g["w_in"] ** 2, axis=(1, 2))),
        "w_hidden": jnp.sqrt(jnp.sum(g["w_hidden"] ** 2, axis=(1, 2))),
        "w_out": jnp.sqrt(jnp.sum(g["w_out"] ** 2, axis=(1, 2))),
    }


def train(params: dict, c: Choice, x, y, batches: jax.Array, learning_rate: float, layout: Layout,
          momentum: float = 0.0) -> dict:
    """SGD on mini-batches x[batches[t]] for every network of the lane.

    The update is `training.sgd_train`'s (heavy-ball momentum, 0 for plain SGD), and
    `batches_for_seed` gives its batches. Returns `signal`, the per-state
    `hidden_grad_rms` of the initial networks on the first mini-batch; `loss`, the
    mini-batch loss before each step, (steps, nets); and the final `params`. One gradient
    computation serves the signal and the step, so a grid compiles one backward pass.
    """
    probes = jnp.zeros((params["gamma"].shape[0], batches.shape[1], params["gamma"].shape[1]))

    def step(carry, inputs):
        p, velocity, first_rms = carry
        t, idx = inputs
        (_, per_net), (g, g_probes) = jax.value_and_grad(_objective, argnums=(0, 1), has_aux=True)(
            p, probes, c, x[idx], y[idx], layout)
        p, velocity = training.momentum_step(p, velocity, g, learning_rate, momentum)
        first_rms = lax.cond(t == 0, _signal, lambda g: first_rms, g_probes)  # needed once only
        return (p, velocity, first_rms), per_net

    steps = jnp.arange(batches.shape[0])
    start = (params, jax.tree.map(jnp.zeros_like, params), jnp.zeros(probes.shape[0]))
    (final, _, first_rms), history = lax.scan(step, start, (steps, batches))
    return {"signal": first_rms, "loss": history, "params": final}


def batches_for_seed(seed: int, n: int, batch_size: int, steps: int) -> jax.Array:
    """The mini-batch indices `training.sgd_train` would use for this seed."""
    _, data_key = jax.random.split(jax.random.PRNGKey(seed))
    return training.epoch_batches(data_key, n, batch_size, steps)
