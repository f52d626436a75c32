"""The chain rule in a chain of single sigmoid neurons: many factors, each usually small.

A chain of 20 sigmoid neurons, one per layer: h_l = sigma(w_l h_{l-1} + b_l), with
weights drawn from a standard normal (the classic "bad" initialization) and zero biases.
Backpropagation multiplies the error signal by one factor w_l sigma'(z_l) per layer.
Top: the size of every factor, for several random chains. Bottom: their running product,
the size of dL/dh_l relative to the last layer, on a log scale.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import gradients, networks, style

DEPTH, INIT, INPUT = 20, "standard_normal", 0.5
SEEDS = tuple(range(8))


def build(out):
    # --8<-- [start:scalar_chain_factors]
    cfg = networks.MLPConfig(depth=DEPTH, width=1, in_dim=1, out_dim=1, activation="sigmoid", init=INIT)
    x, y = jnp.array([[INPUT]]), jnp.array([[0.0]])

    @jax.jit
    def signal(key):
        return gradients.layer_gradients(networks.init_params(key, cfg), cfg, x, y, loss="mse")["hidden_grad_rms"]

    sizes = np.stack([np.asarray(signal(jax.random.PRNGKey(s))) for s in SEEDS])  # |dL/dh_l|, (seeds, depth)
    factors = sizes[:, :-1] / sizes[:, 1:]  # |w_l sigma'(z_l)| for l = 2..depth
    relative = sizes / sizes[:, -1:]
    # --8<-- [end:scalar_chain_factors]

    fig, (ax_f, ax_p) = style.figure(2, 1, sharex=True)
    layers = np.arange(1, DEPTH + 1)
    colour = style.ACTIVATION_COLOURS["sigmoid"]
    for row in factors:
        ax_f.plot(layers[1:], row, "o", color=colour, alpha=0.45, markersize=4)
    ax_f.axhline(1.0, color=style.OKABE_ITO["black"], linewidth=1, linestyle=":",
                 label="1: the signal passes unchanged")
    ax_f.axhline(0.25, color=style.OKABE_ITO["black"], linewidth=1, linestyle="--",
                 label="1/4: the most $\\sigma'$ can give")
    # The lines are named in the empty band between the dots and the dotted line.
    ax_f.legend(loc="upper right", bbox_to_anchor=(1, 0.9))
    ax_f.set(ylabel="$|w_l\\,\\sigma'(z_l)|$", title="one factor per layer")
    style.band(ax_p, layers, relative, colour, label=f"median of {len(SEEDS)} random chains", log=True)
    ax_p.set(yscale="log", xlabel="layer $l$ (1 = nearest the input)", ylabel="$|\\partial \\mathcal{L}/\\partial h_l|$ / last layer's",
             title="their running product", xlim=(1, DEPTH))
    ax_p.legend(loc="lower right")
    style.whole_numbers(ax_p)
    out.figure("scalar_chain_factors", fig)

    out.data("scalar_chain_factors", {"setup": {"depth": DEPTH, "init": INIT, "input": INPUT, "seeds": list(SEEDS)},
                                      "factors": factors.tolist(), "relative": relative.tolist()})
    out.number("depth", DEPTH)
    out.number("seeds", len(SEEDS))
    out.number("input", INPUT)
    out.number("share_below_quarter_pct", round(100 * float(np.mean(factors < 0.25))))
    out.number("factors_total", int(factors.size))
    out.number("factors_above_one", int(np.sum(factors > 1.0)))
    out.number("median_first_layer", float(np.median(relative[:, 0])), digits=2)
