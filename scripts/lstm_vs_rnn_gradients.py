"""How much of the loss's gradient reaches each earlier time step: vanilla RNN against LSTM.

Both read the answer at the last step of an adding-problem sequence; we measure the RMS
of ||dL/dh_t|| (and ||dL/dc_t|| for the LSTM's cell state) at every step t, at
initialization, divided by its value at the last step.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, recurrent, style

LENGTH, HIDDEN, BATCH = 100, 32, 64
SEEDS = range(8)
QUOTED_BACK = 50  # steps back at which the prose quotes the surviving signal
OPEN_FORGET_BIAS = 4.0  # sigmoid(4) = 0.98: a forget gate that is (nearly) always open


# --8<-- [start:lstm_vs_rnn_gradients]
@functools.cache
def compiled_measure(kind):
    """One compiled function per kind; the LSTM's forget bias is an argument, not a constant."""
    cfg = recurrent.RecurrentConfig(kind=kind, input_dim=2, hidden=HIDDEN, output_dim=1)

    def one(key, xs, ys, forget_bias):
        params = recurrent.init_params(key, cfg)
        if kind == "lstm":
            params["b"] = params["b"].at[HIDDEN : 2 * HIDDEN].set(forget_bias)
        return recurrent.hidden_state_gradients(params, cfg, xs, ys)

    return jax.jit(jax.vmap(one, in_axes=(0, None, None, None)))


def measure(kind, xs, ys, forget_bias=recurrent.FORGET_BIAS):
    keys = jnp.stack([jax.random.PRNGKey(s) for s in SEEDS])
    g = compiled_measure(kind)(keys, xs, ys, forget_bias)
    return {name: np.asarray(v / v[:, -1:]) for name, v in g.items()}
# --8<-- [end:lstm_vs_rnn_gradients]


def build(out):
    xs, ys = data.adding_problem(jax.random.PRNGKey(0), BATCH, LENGTH)
    rnn, lstm = measure("rnn", xs, ys), measure("lstm", xs, ys)
    lstm_open = measure("lstm", xs, ys, OPEN_FORGET_BIAS)
    back = np.arange(LENGTH)[::-1]  # steps before the last one

    fig, ax = style.figure()
    style.band(ax, back, rnn["h"], style.OKABE_ITO["vermillion"], "vanilla RNN, $h_t$", "-")
    style.band(ax, back, lstm["h"], style.OKABE_ITO["sky_blue"], "LSTM, $h_t$", ":")
    style.band(ax, back, lstm["c"], style.OKABE_ITO["blue"],
                     f"LSTM, $c_t$, forget bias {recurrent.FORGET_BIAS:g}", "--")
    style.band(ax, back, lstm_open["c"], style.OKABE_ITO["green"],
                     f"LSTM, $c_t$, forget bias {OPEN_FORGET_BIAS:g}", "-.")
    ax.set(yscale="log", xlabel="steps back from the last one ($T-1-t$)",
           ylabel="signal relative to the last step", title=f"Gradient through time, {LENGTH} steps")
    ax.legend(loc="lower left")
    out.figure("lstm_vs_rnn_gradients", fig)

    out.data("lstm_vs_rnn_gradients", {"steps_back": back.tolist(), "rnn_h": rnn["h"].tolist(),
                                       "lstm_h": lstm["h"].tolist(), "lstm_c": lstm["c"].tolist(),
                                       "lstm_open_c": lstm_open["c"].tolist()})
    out.number("length", LENGTH)
    out.number("hidden", HIDDEN)
    out.number("seeds", len(SEEDS))
    out.number("quoted_back", QUOTED_BACK)
    t = LENGTH - 1 - QUOTED_BACK
    for key, v in (("rnn_back", rnn["h"]), ("lstm_h_back", lstm["h"]), ("lstm_c_back", lstm["c"]),
                   ("lstm_open_c_back", lstm_open["c"])):
        out.number(key, float(np.median(v[:, t])), digits=2)
    for key, v in (("rnn_back", rnn["h"]), ("lstm_c_back", lstm["c"])):  # spread over seeds
        out.number(f"{key}_min", float(v[:, t].min()), digits=2)
        out.number(f"{key}_max", float(v[:, t].max()), digits=2)
    # The forget gate alone would keep sigmoid(bias) per step; the measured cell-state
    # signal fades far less, because paths through h and the gates add to the direct one.
    gate = 1 / (1 + np.exp(-recurrent.FORGET_BIAS))
    out.number("forget_gate_start", gate, digits=2)
    out.number("forget_gate_only_back", gate**QUOTED_BACK, digits=2)
    out.number("lstm_c_per_step", float(np.median(lstm["c"][:, t])) ** (1 / QUOTED_BACK), digits=2)
    out.number("lstm_open_c_min_over_steps", float(np.median(lstm_open["c"], axis=0).min()), digits=3)
    out.number("forget_bias", recurrent.FORGET_BIAS)
    out.number("open_forget_bias", OPEN_FORGET_BIAS)
