"""What batch normalization does to a deep sigmoid network with too-large weights.

With standard-normal weights, the pre-activations z of a sigmoid network are spread far
beyond |z| = 4 where the sigmoid is flat (saturated). Batch norm rescales each unit's
z to mean 0 and variance 1 over the batch, back into the sigmoid's steep middle.
Figure 1: the middle 90 % and 50 % of z per layer, without and with batch norm.
Figure 2: the error signal per layer for the same networks.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import activations, data, gradients, networks, style
from vanishing.outputs import markdown_table

DEPTH, WIDTH, BATCH = 20, 64, 256
SEEDS = range(8)
INIT = "standard_normal"
SATURATED = 4.0  # |z| beyond which sigma'(z) < 0.018: the unit passes back almost nothing
VARIANTS = (("without", False), ("with", True))
COLOURS = {"without": style.OKABE_ITO["vermillion"], "with": style.OKABE_ITO["blue"]}


def measure(x, y, batchnorm):
    cfg = networks.MLPConfig(DEPTH, WIDTH, x.shape[1], 10, activation="sigmoid", init=INIT, batchnorm=batchnorm)
    params = networks.init_many(cfg, SEEDS)

    def one(p):
        _, trace = networks.forward(p, cfg, x)
        z = trace["z"].reshape(DEPTH, -1)
        q = jnp.quantile(z, jnp.array([0.05, 0.25, 0.5, 0.75, 0.95]), axis=1)  # (5, depth)
        saturated = jnp.mean(jnp.abs(z) > SATURATED, axis=1)
        return q, saturated, gradients.layer_gradients(p, cfg, x, y)["hidden_grad_rms"]

    q, sat, g = jax.jit(jax.vmap(one))(params)
    return np.asarray(q), np.asarray(sat), np.asarray(g)


def build(out):
    x, y = data.digits()
    x, y = x[:BATCH], y[:BATCH]
    layers = np.arange(1, DEPTH + 1)
    res = {name: measure(x, y, bn) for name, bn in VARIANTS}

    fig, axes = style.figure(2, 1, sharex=True, sharey=True)
    for ax, (name, _) in zip(axes, VARIANTS):
        q = np.median(res[name][0], axis=0)  # median over seeds, (5, depth)
        c = COLOURS[name]
        ax.axhspan(-SATURATED, SATURATED, color=style.OKABE_ITO["green"], alpha=0.12, linewidth=0)
        ax.fill_between(layers, q[0], q[4], color=c, alpha=0.25, linewidth=0, label="middle 90 % of $z$")
        ax.fill_between(layers, q[1], q[3], color=c, alpha=0.55, linewidth=0, label="middle 50 %")
        ax.plot(layers, q[2], color=c, label="median")
        ax.set(title=f"{name.capitalize()} batch norm", ylabel="pre-activation $z$")
        ax.legend(loc="upper right", fontsize=9, ncols=3)
    axes[0].annotate(f"green: $|z| < {SATURATED:g}$, the sigmoid's steep part", xy=(1, -SATURATED - 3.5), fontsize=9)
    axes[1].set(xlabel="hidden layer $l$")
    out.figure("batchnorm_preactivations", fig)

    fig, ax = style.figure()
    for name, _ in VARIANTS:
        style.band(ax, layers, res[name][2], COLOURS[name], f"{name} batch norm",
                         "-" if name == "without" else "--")
    ax.set(yscale="log", xlabel="hidden layer $l$", ylabel="RMS $\\|\\partial \\mathcal{L}/\\partial h_l\\|$",
           title=f"Error signal per layer, sigmoid, standard-normal weights")
    ax.legend(loc="lower right")
    out.figure("batchnorm_preactivations_gradients", fig)

    out.data("batchnorm_preactivations", {
        "layers": layers.tolist(),
        **{name: {"quantiles": r[0].tolist(), "saturated": r[1].tolist(), "hidden_grad_rms": r[2].tolist()}
           for name, r in res.items()},
    })
    out.table("batchnorm_preactivations_setup", markdown_table(
        ["network", "data", "measured", "seeds"],
        [[f"{DEPTH} sigmoid layers x {WIDTH} units, standard-normal weights, with and without batch norm",
          f"first {BATCH} digits (batch statistics over them)", "at initialization", len(SEEDS)]], align="llll"))
    out.number("depth", DEPTH)
    out.number("saturated_z", SATURATED)
    out.number("slope_at_saturated", float(activations.get("sigmoid").derivative(SATURATED)), digits=2)
    for name, _ in VARIANTS:
        out.number(f"saturated_pct_{name}", round(100 * float(np.median(res[name][1][:, 1:]))))
        g = res[name][2]
        out.number(f"ratio_{name}", float(np.median(g[:, 0] / g[:, -1])), digits=2)
