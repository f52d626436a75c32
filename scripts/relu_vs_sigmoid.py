"""ReLU against sigmoid in a deep network, and ReLU's catch: dead units.

Figure 1 (relu_vs_sigmoid_gradients): the error signal RMS ||dL/dh_l|| at every layer
of a freshly initialized 30-layer network on the digits, sigmoid (Xavier) against ReLU
(He). Figure 2 (relu_vs_sigmoid_dead_fraction): the fraction of ReLU units in each layer that output 0
for every one of the digits ("dead": no gradient ever flows through them), at
initialization, for narrow and wide layers.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, gradients, networks, style
from vanishing.outputs import markdown_table

DEPTH, WIDTH, BATCH = 30, 64, 256
SEEDS = range(8)
PAIRS = (("sigmoid", "xavier"), ("relu", "he"))

DEAD_WIDTHS = (8, 16, 64)  # the dead-unit figure: same depth, narrow to wide
DEAD_SEEDS = range(8)


# --8<-- [start:relu_vs_sigmoid_gradients]
def hidden_gradients(x, y, activation, init):
    cfg = networks.MLPConfig(DEPTH, WIDTH, x.shape[1], 10, activation=activation, init=init)
    params = networks.init_many(cfg, SEEDS)
    run = jax.jit(jax.vmap(lambda p: gradients.layer_gradients(p, cfg, x, y)))
    return np.asarray(run(params)["hidden_grad_rms"]), params, cfg
# --8<-- [end:relu_vs_sigmoid_gradients]


# --8<-- [start:relu_vs_sigmoid_dead_fraction]
def dead_fractions(x, width):
    """Share of units per layer that output 0 for every digit, one row per seed."""
    cfg = networks.MLPConfig(DEPTH, width, x.shape[1], 10, activation="relu", init="he")
    params = networks.init_many(cfg, DEAD_SEEDS)

    def dead(p):
        _, trace = networks.forward(p, cfg, x)
        return jnp.mean(jnp.all(trace["h"] <= 0, axis=1), axis=1)  # (depth,)

    return np.asarray(jax.jit(jax.vmap(dead))(params))
# --8<-- [end:relu_vs_sigmoid_dead_fraction]


def build(out):
    x, y = data.digits()
    xb, yb = x[:BATCH], y[:BATCH]
    layers = np.arange(1, DEPTH + 1)

    grads, ratios = {}, {}
    active = None
    for activation, init in PAIRS:
        g, params, cfg = hidden_gradients(xb, yb, activation, init)
        grads[activation] = g
        ratios[activation] = g[:, 0] / g[:, -1]
        if activation == "relu":
            _, trace = jax.jit(jax.vmap(lambda p: networks.forward(p, cfg, xb)))(params)
            on = np.asarray(trace["h"] > 0)  # (seeds, depth, batch, width)
            active = {
                "per_example": float(on.mean()),  # share of units active for one example
                "ever": float(on.any(axis=2).mean()),  # share active for at least one example
            }

    fig, ax = style.figure()
    for activation, init in PAIRS:
        label = f"{activation} ({'Xavier' if init == 'xavier' else 'He'} init)".replace("relu", "ReLU")
        style.band(ax, layers, grads[activation], style.ACTIVATION_COLOURS[activation], label,
                         style.ACTIVATION_LINESTYLES[activation])
    ax.set(yscale="log", xlabel="hidden layer $l$ (1 = next to the input)",
           ylabel="RMS $\\|\\partial \\mathcal{L} / \\partial h_l\\|$",
           title=f"Error signal per layer, {DEPTH} layers of {WIDTH} units")
    ax.legend(loc="lower right")
    style.whole_numbers(*fig.axes)
    out.figure("relu_vs_sigmoid_gradients", fig)

    dead = {width: dead_fractions(x, width) for width in DEAD_WIDTHS}
    fig, ax = style.figure()
    colours = (style.OKABE_ITO["vermillion"], style.OKABE_ITO["orange"], style.OKABE_ITO["blue"])
    for (width, d), colour, ls in zip(dead.items(), colours, ("-", "--", "-.")):
        style.band(ax, layers, 100 * d, colour, f"{width} units per layer", ls)
    ax.set(xlabel="hidden layer $l$", ylabel="dead units (% of layer)", ylim=(-2, 100),
           title=f"Dead ReLUs at initialization (He), {DEPTH} layers")
    style.legend_below(ax, ncols=3, fontsize=10)
    style.whole_numbers(*fig.axes)
    out.figure("relu_vs_sigmoid_dead_fraction", fig)

    out.data("relu_vs_sigmoid", {
        "layers": layers.tolist(),
        "hidden_grad_rms": {k: v.tolist() for k, v in grads.items()},
        "dead_fraction": {str(w): d.tolist() for w, d in dead.items()},
    })
    out.table("relu_vs_sigmoid_setup", markdown_table(
        ["experiment", "network", "data", "training", "seeds"],
        [["error signal per layer", f"{DEPTH} layers x {WIDTH} units; sigmoid + Xavier, ReLU + He",
          f"first {BATCH} digits", "none (at initialization)", len(SEEDS)],
         ["dead units", f"{DEPTH} layers x {' / '.join(map(str, DEAD_WIDTHS))} units, ReLU + He",
          f"all {len(x):,} digits", "none (at initialization)", len(DEAD_SEEDS)]],
        align="lllll"))
    out.number("depth", DEPTH)
    out.number("batch", BATCH)
    for activation in ratios:
        out.number(f"{activation}_ratio_median", float(np.median(ratios[activation])), digits=3)
    out.number("relu_ratio_min", float(ratios["relu"].min()), digits=2)
    out.number("relu_ratio_max", float(ratios["relu"].max()), digits=2)
    out.number("digits", len(x))
    out.number("relu_active_per_example_pct", round(100 * active["per_example"]))
    out.number("relu_active_ever_pct", round(100 * active["ever"]))
    narrow, wide = DEAD_WIDTHS[0], DEAD_WIDTHS[-1]
    out.number("dead_width_narrow", narrow)
    out.number("dead_width_wide", wide)
    deep = slice(DEPTH // 2, None)  # the deeper half of the layers, where the curves level off
    out.number("dead_deep_from", DEPTH // 2 + 1)
    out.number("dead_pct_narrow_deep", round(100 * float(np.median(dead[narrow][:, deep].mean(axis=1)))))
    out.number("dead_pct_wide_deep", round(100 * float(np.median(dead[wide][:, deep].mean(axis=1)))))
