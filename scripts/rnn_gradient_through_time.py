"""Backpropagation through time: the same product, now across time steps.

A vanilla tanh RNN (32 hidden units, Xavier initialization with the recurrent weights
scaled by a gain) reads sequences from the adding problem; the loss is computed from the
last hidden state only. We measure how strongly the loss depends on the hidden state k
steps before the end: |dL/dh_{T-1-k}|, root mean square over sequences, median and range
over seeds. Every step back multiplies the signal by W_h^T diag(tanh'), exactly as every
layer does in a deep network.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, recurrent, style

HIDDEN, LENGTH, SEQUENCES = 32, 60, 128
GAINS = (0.5, 1.0, 1.5)
SEEDS = tuple(range(5))
GAIN_COLOURS = (style.OKABE_ITO["sky_blue"], style.OKABE_ITO["black"], style.OKABE_ITO["vermillion"])
QUOTED_STEPS_BACK = (10, 50)
CFG = recurrent.RecurrentConfig(kind="rnn", input_dim=2, hidden=HIDDEN, output_dim=1, init="xavier")


# --8<-- [start:rnn_gradient_through_time]
def signal_through_time() -> dict[float, np.ndarray]:
    """For each gain: |dL/dh| indexed by steps back k = 0..LENGTH-1, one row per seed."""
    xs, ys = data.adding_problem(jax.random.PRNGKey(0), SEQUENCES, LENGTH)

    @jax.jit
    def signal(keys, gain):  # one compilation serves every gain
        def one(key):
            params = recurrent.init_params(key, CFG)
            params = params | {"w_h": gain * params["w_h"]}
            return recurrent.hidden_state_gradients(params, CFG, xs, ys)["h"][::-1]  # reorder: steps back
        return jax.vmap(one)(keys)

    keys = jnp.stack([jax.random.PRNGKey(100 + s) for s in SEEDS])
    return {g: np.asarray(signal(keys, g)) for g in GAINS}
# --8<-- [end:rnn_gradient_through_time]


def build(out):
    signal = signal_through_time()
    fig, ax = style.figure()
    back = np.arange(LENGTH)
    for g, colour in zip(GAINS, GAIN_COLOURS):
        style.band(ax, back, signal[g], colour, label=f"recurrent gain {g:g}", log=True)
    ax.set(yscale="log", xlabel="steps back in time, $k$", ylabel="$|\\partial \\mathcal{L}/\\partial h_{T-k}|$", xlim=(0, LENGTH - 1))
    ax.legend(title=f"tanh RNN, {HIDDEN} units", loc="lower left")
    out.figure("rnn_gradient_through_time", fig)
    out.data("rnn_gradient_through_time", {
        "setup": {"hidden": HIDDEN, "length": LENGTH, "sequences": SEQUENCES, "gains": list(GAINS), "seeds": list(SEEDS)},
        **{f"gain_{g:g}": signal[g].tolist() for g in GAINS},
    })
    for g in GAINS:  # the page quotes every gain 50 steps back, and gain 1 also 10 steps back
        for k in QUOTED_STEPS_BACK if g == 1.0 else QUOTED_STEPS_BACK[-1:]:
            key = f"gain_{g:g}_back_{k}".replace(".", "_")
            out.number(key, float(np.median(signal[g][:, k] / signal[g][:, 0])), digits=2)
    for key, value in {"hidden": HIDDEN, "length": LENGTH, "sequences": SEQUENCES, "seeds": len(SEEDS)}.items():
        out.number(key, value)
