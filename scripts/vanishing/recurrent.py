"""A vanilla RNN and an LSTM, with the gradient reaching every earlier time step.

Vanilla RNN:  h_t = tanh(x_t W_x + h_{t-1} W_h + b)
LSTM:         [i, f, o, g] = [x_t, h_{t-1}] W + b
              c_t = sigmoid(f) * c_{t-1} + sigmoid(i) * tanh(g)
              h_t = sigmoid(o) * tanh(c_t)
Both read out y = h_T W_out + b_out at the last step only, so the loss depends on an
early input only through the chain of hidden states: exactly the product that vanishes.

As in `networks.py`, additive zero "probes" on h_t (and on c_t for the LSTM) give
dL/dh_t and dL/dc_t for every t in one backward pass.
"""

from dataclasses import dataclass

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
from jax import lax

from . import initializers, losses

FORGET_BIAS = 1.0  # the usual LSTM choice: start by remembering (Gers et al. 2000)


@dataclass(frozen=True)
class RecurrentConfig:
    kind: str  # "rnn" or "lstm"
    input_dim: int
    hidden: int
    output_dim: int
    init: str = "xavier"
    recurrent_gain: float = 1.0  # multiplies the recurrent weights W_h at initialization

    def __post_init__(self):
        if self.kind not in ("rnn", "lstm"):
            raise ValueError(f"unknown recurrent kind {self.kind!r}; choose 'rnn' or 'lstm'")


def init_params(key: jax.Array, cfg: RecurrentConfig) -> dict:
    k_x, k_h, k_out = jax.random.split(key, 3)
    gates = 4 if cfg.kind == "lstm" else 1
    n_out = gates * cfg.hidden
    w_x = initializers.init_weight(k_x, cfg.init, cfg.input_dim, n_out)
    w_h = cfg.recurrent_gain * initializers.init_weight(k_h, cfg.init, cfg.hidden, n_out)
    b = jnp.zeros(n_out)
    if cfg.kind == "lstm":
        b = b.at[cfg.hidden : 2 * cfg.hidden].set(FORGET_BIAS)
    return {
        "w_x": w_x,
        "w_h": w_h,
        "b": b,
        "w_out": initializers.init_weight(k_out, cfg.init, cfg.hidden, cfg.output_dim),
        "b_out": jnp.zeros(cfg.output_dim),
    }


def forward(params: dict, cfg: RecurrentConfig, xs: jax.Array, probes: dict | None = None):
    """Run over a sequence xs shaped (time, batch, input_dim).

    Returns (output at the last step, trace) where trace["h"] (and, for the LSTM, the cell
    state trace["c"] and the forget gate's values trace["f"]) are shaped (time, batch, hidden).
    """
    steps, batch = xs.shape[0], xs.shape[1]
    zeros = jnp.zeros((steps, batch, cfg.hidden))
    if probes is None:
        probes = {"h": zeros, "c": zeros}
    h0 = jnp.zeros((batch, cfg.hidden))

    if cfg.kind == "rnn":

        def cell(h, inputs):
            x_t, probe_h = inputs
            h = jnp.tanh(x_t @ params["w_x"] + h @ params["w_h"] + params["b"]) + probe_h
            return h, h

        h_last, hs = lax.scan(cell, h0, (xs, probes["h"]))
        trace = {"h": hs}
    else:

        def cell(state, inputs):
            h, c = state
            x_t, probe_h, probe_c = inputs
            pre = x_t @ params["w_x"] + h @ params["w_h"] + params["b"]
            i, f, o, g = jnp.split(pre, 4, axis=-1)
            forget = jax.nn.sigmoid(f)
            c = forget * c + jax.nn.sigmoid(i) * jnp.tanh(g) + probe_c
            h = jax.nn.sigmoid(o) * jnp.tanh(c) + probe_h
            return (h, c), (h, c, forget)

        (h_last, _), (hs, cs, fs) = lax.scan(cell, (h0, h0), (xs, probes["h"], probes["c"]))
        trace = {"h": hs, "c": cs, "f": fs}
    return h_last @ params["w_out"] + params["b_out"], trace


def hidden_state_gradients(params: dict, cfg: RecurrentConfig, xs, ys, loss: str = "mse",
                           with_trace: bool = False) -> dict:
    """RMS over examples of ||d loss_i / d h_t|| for every step t (and of c_t for an LSTM).

    Index t = 0 is the first step; the loss is read at the last step, T - 1. With
    `with_trace`, the forward pass's trace (see `forward`) comes along as "trace".
    """
    loss_fn = losses.get(loss)
    steps, batch = xs.shape[0], xs.shape[1]
    zeros = jnp.zeros((steps, batch, cfg.hidden))
    probes = {"h": zeros, "c": zeros}

    def objective(p):
        out, trace = forward(params, cfg, xs, p)
        return loss_fn(out, ys), trace

    g, trace = jax.grad(objective, has_aux=True)(probes)
    names = ("h", "c") if cfg.kind == "lstm" else ("h",)
    result = {n: jnp.sqrt(jnp.mean((batch * jnp.linalg.norm(g[n], axis=2)) ** 2, axis=1)) for n in names}
    return result | {"trace": trace} if with_trace else result


def layer_norms(tree: dict) -> jax.Array:
    """Per-matrix norms (input, recurrent, read-out), for the trainer's bookkeeping."""
    return jnp.stack([jnp.linalg.norm(tree[k]) for k in ("w_x", "w_h", "w_out")])
