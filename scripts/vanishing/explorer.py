"""One network whose configuration is *data*, so a whole grid of networks compiles once.

The explorer page lets a reader pick an activation, an initialization, a depth, and switch
residual connections and batch norm on or off: hundreds of combinations. Compiling one
network per combination would cost a second or two each; instead every choice here is a
traced array, and `jax.vmap` runs the whole grid through a single compiled function:

* the activation is picked by `lax.switch` on an integer (under vmap it computes every
  candidate and selects, which is cheap next to the matrix products);
* the initialization is a per-matrix weight scale looked up from a small table;
* the depth is a mask over a stack of `MAX_DEPTH` layers: a layer beyond the chosen
  depth passes its input through unchanged (h_next = where(active, layer(h), h));
* residual connections and batch norm are 0/1 flags chosen with `jnp.where`.

The network is exactly the library's `networks.MLPConfig` network (same layout, same
batch norm, same residual form): `tests/test_explorer.py` checks loss and per-layer
gradients against `gradients.layer_gradients` to float64 precision.
"""

from typing import NamedTuple

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
from jax import lax

from . import activations, initializers, losses, networks, training

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "gelu")
INITS = ("standard_normal", "xavier", "he")
MAX_DEPTH = 100


class Setting(NamedTuple):
    """One configuration as arrays (stack them along a leading axis to vmap over a grid)."""

    activation: jax.Array  # index into ACTIVATIONS
    init: jax.Array  # index into INITS
    depth: jax.Array  # number of hidden layers, 1..MAX_DEPTH
    residual: jax.Array  # 0 or 1
    batchnorm: jax.Array  # 0 or 1


def setting(activation: str, init: str, depth: int, residual: bool, batchnorm: bool) -> Setting:
    """A Setting from readable names (validated against the library's own names)."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
    return Setting(
        jnp.asarray(ACTIVATIONS.index(activation)),
        jnp.asarray(INITS.index(init)),
        jnp.asarray(depth),
        jnp.asarray(float(residual)),
        jnp.asarray(float(batchnorm)),
    )


def stack(settings: list[Setting]) -> Setting:
    """Many settings as one Setting of arrays with a leading grid axis."""
    return Setting(*(jnp.stack(field) for field in zip(*settings)))


def _std_table(fan_in: int, fan_out: int) -> jax.Array:
    """Weight standard deviation of every scheme in INITS, for one matrix shape."""
    return jnp.sqrt(jnp.array([initializers.weight_variance(s, fan_in, fan_out) for s in INITS]))


def standard_draws(key: jax.Array, in_dim: int, width: int, out_dim: int, max_depth: int = MAX_DEPTH) -> dict:
    """Unit-variance Gaussian weights for a max-depth stack (scaled later, per scheme)."""
    k_in, k_hidden, k_out = jax.random.split(key, 3)
    return {
        "w_in": jax.random.normal(k_in, (in_dim, width)),
        "w_hidden": jax.random.normal(k_hidden, (max_depth - 1, width, width)),
        "w_out": jax.random.normal(k_out, (width, out_dim)),
    }


def init_params(draws: dict, init: jax.Array) -> dict:
    """Parameters in the library's layout: draws scaled by the scheme's std; biases 0, BN 1/0."""
    in_dim, width = draws["w_in"].shape
    out_dim = draws["w_out"].shape[1]
    max_depth = draws["w_hidden"].shape[0] + 1
    return {
        "w_in": _std_table(in_dim, width)[init] * draws["w_in"],
        "b_in": jnp.zeros(width),
        "w_hidden": _std_table(width, width)[init] * draws["w_hidden"],
        "b_hidden": jnp.zeros((max_depth - 1, width)),
        "w_out": _std_table(width, out_dim)[init] * draws["w_out"],
        "b_out": jnp.zeros(out_dim),
        "gamma": jnp.ones((max_depth, width)),
        "beta": jnp.zeros((max_depth, width)),
    }


def forward(params: dict, s: Setting, x: jax.Array, probes: jax.Array | None = None, branch_scale: float = 1.0):
    """Logits of the masked max-depth network; `probes` (max_depth, batch, width) as in networks.forward."""
    fns = [activations.get(name).fn for name in ACTIVATIONS]
    max_depth, width = params["gamma"].shape
    if probes is None:
        probes = jnp.zeros((max_depth, x.shape[0], width))

    def act(z):
        return lax.switch(s.activation, fns, z)

    def normalize(z, gamma, beta):
        return jnp.where(s.batchnorm > 0, networks.batch_norm(z, gamma, beta), z)

    h1 = act(normalize(x @ params["w_in"] + params["b_in"], params["gamma"][0], params["beta"][0])) + probes[0]

    def hidden_layer(h, layer_inputs):
        w, b, gamma, beta, probe, number = layer_inputs

        def active(h):
            a = act(normalize(h @ w + b, gamma, beta))
            return jnp.where(s.residual > 0, h + branch_scale * a, a) + probe

        return lax.cond(number <= s.depth, active, lambda h: h, h), None

    numbers = jnp.arange(2, max_depth + 1)
    h_last, _ = lax.scan(
        hidden_layer,
        h1,
        (params["w_hidden"], params["b_hidden"], params["gamma"][1:], params["beta"][1:], probes[1:], numbers),
    )
    return h_last @ params["w_out"] + params["b_out"]


def layer_gradients(params: dict, s: Setting, x, y, loss: str = "cross_entropy") -> dict:
    """Like `gradients.layer_gradients`, padded to the max depth.

    `hidden_grad_rms[l-1]` is RMS over examples of ||dloss_i/dh_l|| for l <= depth (0 beyond);
    `weight_grad_norm` lists the input layer, the MAX_DEPTH - 1 hidden layers, then the read-out.
    """
    loss_fn = losses.get(loss)
    batch = x.shape[0]
    max_depth, width = params["gamma"].shape

    def objective(p, probes):
        return loss_fn(forward(p, s, x, probes), y)

    probes = jnp.zeros((max_depth, batch, width))
    value, (g_params, g_probes) = jax.value_and_grad(objective, argnums=(0, 1))(params, probes)
    per_example = batch * jnp.linalg.norm(g_probes, axis=2)
    return {
        "loss": value,
        "weight_grad_norm": networks.layer_weight_norms(g_params),
        "hidden_grad_rms": jnp.sqrt(jnp.mean(per_example**2, axis=1)),
    }


def train_losses(params: dict, s: Setting, x, y, batches: jax.Array, learning_rate: float) -> jax.Array:
    """Plain SGD on mini-batches x[batches[t]]; returns the mini-batch loss before each step.

    The same update as `training.sgd_train` with momentum 0 (batches from
    `training.epoch_batches`), written so the configuration stays traced data.
    """
    loss_fn = losses.cross_entropy

    def objective(p, xb, yb):
        return loss_fn(forward(p, s, xb), yb)

    def step(p, idx):
        value, grads = jax.value_and_grad(objective)(p, x[idx], y[idx])
        return jax.tree.map(lambda a, g: a - learning_rate * g, p, grads), value

    _, history = lax.scan(step, params, batches)
    return history


def batches_for_seed(seed: int, n: int, batch_size: int, steps: int) -> jax.Array:
    """The mini-batch indices `training.sgd_train` would use for this seed."""
    _, data_key = jax.random.split(jax.random.PRNGKey(seed))
    return training.epoch_batches(data_key, n, batch_size, steps)


def train_record(params: dict, s: Setting, x, y, batches: jax.Array, learning_rate: float, steps=None):
    """SGD as in `train_losses`, also returning the per-layer signal at the first step.

    Returns (hidden_grad_rms of the initial network on the first mini-batch, loss per step).
    One gradient computation serves both, so the grid compiles one backward pass, not two.
    `steps` (default: all batches) may be traced: later steps are skipped with `lax.cond`
    (their loss is NaN), so a grid can train some networks and only measure others.
    """
    max_depth, width = params["gamma"].shape
    batch = batches.shape[1]
    steps = batches.shape[0] if steps is None else steps

    def objective(p, probes, xb, yb):
        return losses.cross_entropy(forward(p, s, xb, probes), yb)

    def sgd_step(p, idx):
        probes = jnp.zeros((max_depth, batch, width))
        value, (grads, g_probes) = jax.value_and_grad(objective, argnums=(0, 1))(p, probes, x[idx], y[idx])
        rms = jnp.sqrt(jnp.mean((batch * jnp.linalg.norm(g_probes, axis=2)) ** 2, axis=1))
        return jax.tree.map(lambda a, g: a - learning_rate * g, p, grads), value, rms

    def step(carry, inputs):
        p, first_rms = carry
        t, idx = inputs
        p, value, rms = lax.cond(
            t < steps, sgd_step, lambda p, idx: (p, jnp.nan, jnp.zeros(max_depth)), p, idx
        )
        return (p, jnp.where(t == 0, rms, first_rms)), value

    ts = jnp.arange(batches.shape[0])
    (_, first_rms), history = lax.scan(step, (params, jnp.zeros(max_depth)), (ts, batches))
    return first_rms, history
