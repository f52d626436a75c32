"""What batch normalization does to a deep sigmoid network whose units have drifted into saturation.

The setup is chosen so that both the problem and the fix are visible. The weights are
Xavier (sized for the sigmoid), but the biases are spread far from 0 (standard deviation
BIAS_STD), as training can leave them: each unit's pre-activation z = W h + b is then
pushed far into one of the sigmoid's flat tails, for every example. There sigma'(z) is
almost 0, and the error signal dies on its way back. Batch norm subtracts each unit's
mean over the batch (the offset goes) and divides by its spread, which puts z back into
the steep middle, and on the way back it multiplies the error signal by the same 1/spread.

Figure 1 (batchnorm_preactivations): the middle 90 % and 50 % of z per layer, without and
with batch norm. Figure 2 (_gradients): the error signal per layer in the same networks.
Figure 3 (_sigmoid, a diagram): one layer's pre-activations before and after batch norm,
drawn over the sigmoid with its flat (saturated) regions shaded.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import activations, data, gradients, networks, style
from vanishing.outputs import markdown_table

DEPTH, WIDTH, BATCH = 20, 64, 256
SEEDS = range(8)
INIT = "xavier"
BIAS_STD = 4.0   # biases drawn from N(0, BIAS_STD^2): units sit far out in a flat tail
SATURATED = 4.0  # |z| beyond which sigma'(z) < 0.018: the unit passes back almost nothing
SHOWN_LAYER, SHOWN_SEED = 10, 0  # the layer (and network) the diagram shows
VARIANTS = (("without", False), ("with", True))
COLOURS = {"without": style.OKABE_ITO["vermillion"], "with": style.OKABE_ITO["blue"]}


# --8<-- [start:batchnorm_preactivations]
def networks_with_drifted_biases(cfg):
    """One network per seed: Xavier weights, biases drawn from N(0, BIAS_STD^2)."""
    params = networks.init_many(cfg, SEEDS)
    for name in ("b_in", "b_hidden"):
        shape = params[name].shape
        params[name] = np.stack([BIAS_STD * np.random.default_rng(seed).standard_normal(shape[1:]) for seed in SEEDS])
    return params


def measure(x, y, batchnorm):
    cfg = networks.MLPConfig(DEPTH, WIDTH, x.shape[1], 10, activation="sigmoid", init=INIT, batchnorm=batchnorm)
    params = networks_with_drifted_biases(cfg)

    def one(p):
        _, trace = networks.forward(p, cfg, x)
        z = trace["z"]  # what the sigmoid sees: after batch norm where there is one
        # The same layer's z before batch norm: the previous layer's output times W, plus b.
        layer = SHOWN_LAYER - 1
        raw = trace["h"][layer - 1] @ p["w_hidden"][layer - 1] + p["b_hidden"][layer - 1]
        flat = z.reshape(DEPTH, -1)
        q = jnp.quantile(flat, jnp.array([0.05, 0.25, 0.5, 0.75, 0.95]), axis=1)  # (5, depth)
        saturated = jnp.mean(jnp.abs(flat) > SATURATED, axis=1)
        spread = jnp.std(raw, axis=0)  # each unit's spread over the batch, before batch norm
        signal = gradients.layer_gradients(p, cfg, x, y)["hidden_grad_rms"]
        return q, saturated, signal, raw, z[layer], spread

    return [np.asarray(a) for a in jax.jit(jax.vmap(one))(params)]
# --8<-- [end:batchnorm_preactivations]


def plot_spread(res, layers):
    fig, axes = style.figure(2, 1, sharex=True, sharey=True)
    for ax, (name, _) in zip(axes, VARIANTS):
        q = np.median(res[name][0], axis=0)  # median over seeds, (5, depth)
        c = COLOURS[name]
        ax.axhspan(-SATURATED, SATURATED, color=style.OKABE_ITO["green"], alpha=0.12, linewidth=0)
        ax.fill_between(layers, q[0], q[4], color=c, alpha=0.25, linewidth=0, label="middle 90 % of $z$")
        ax.fill_between(layers, q[1], q[3], color=c, alpha=0.55, linewidth=0, label="middle 50 %")
        ax.plot(layers, q[2], color=c, label="median")
        ax.set(title=f"{name.capitalize()} batch norm", ylabel="pre-activation $z$", ylim=(-12, 12))
    axes[1].set(xlabel="hidden layer $l$")
    style.whole_numbers(axes[1])
    for ax in axes:
        ax.legend(loc="upper right", ncols=3, fontsize=9)
    return fig


def plot_signal(res, layers):
    fig, ax = style.figure()
    for name, _ in VARIANTS:
        style.band(ax, layers, res[name][2], COLOURS[name], f"{name} batch norm", "-" if name == "without" else "--",
                   log=True)
    ax.set(yscale="log", xlabel="hidden layer $l$", ylabel="RMS $\\|\\partial \\mathcal{L}/\\partial h_l\\|$",
           title="Error signal per layer, sigmoid, biases far from 0")
    style.whole_numbers(ax)
    ax.legend(loc="lower right")
    return fig


def plot_over_sigmoid(raw, normalized, before_pct, after_pct, phone=False):
    """The diagram: one layer's z before and after batch norm, over the sigmoid."""
    style.apply()
    fig, axes = style.plt.subplots(2, 1, sharex=True, figsize=(style.PHONE_WIDTH, 6.2) if phone else (6.4, 5.6),
                                   layout="constrained")
    z = np.linspace(-12, 12, 481)
    sigmoid = activations.get("sigmoid")
    labels = style.Labels("batchnorm_preactivations_sigmoid")
    for ax, values, pct, key, title, colour in (
            (axes[0], raw, before_pct, "before", "before batch norm: $z = Wh + b$", COLOURS["without"]),
            (axes[1], normalized, after_pct, "after", "after batch norm: $(z - \\mathrm{mean}) / \\mathrm{spread}$",
             COLOURS["with"])):
        for side in (-1, 1):  # the flat tails, where sigma'(z) < 0.018
            ax.axvspan(side * SATURATED, side * 12, color="0.85", linewidth=0, zorder=0)
        counts, edges = np.histogram(np.clip(values, -11.99, 11.99), bins=48, range=(-12, 12))
        ax.bar(edges[:-1], counts / counts.max(), width=np.diff(edges), align="edge", color=colour, alpha=0.75,
               linewidth=0, zorder=1)
        ax.plot(z, sigmoid.fn(z), color=style.OKABE_ITO["black"], linewidth=2, zorder=2)
        ax.set(ylim=(0, 1.18), yticks=[0, 0.5, 1], title=title)
        ax.grid(False)
        labels.text(ax, -11.6, 1.13, pct, "{} % of $z$\nin the flat tails", key=f"saturated-{key}", digits=0,
                    ha="left", va="top", fontsize=11, zorder=3)
        ax.set_ylabel("curve: $\\sigma(z)$\nbars: how often")
    axes[1].set(xlabel="pre-activation $z$ (grey: $|z| > 4$, where $\\sigma$ is flat)")
    return fig, labels.values


def build(out):
    x, y = data.digits()
    x, y = x[:BATCH], y[:BATCH]
    layers = np.arange(1, DEPTH + 1)
    res = {name: measure(x, y, bn) for name, bn in VARIANTS}

    out.figure("batchnorm_preactivations", plot_spread(res, layers))
    out.figure("batchnorm_preactivations_gradients", plot_signal(res, layers))

    raw, normalized = res["with"][3][SHOWN_SEED], res["with"][4][SHOWN_SEED]  # (batch, width) each
    before = 100 * float(np.mean(np.abs(raw) > SATURATED))
    after = 100 * float(np.mean(np.abs(normalized) > SATURATED))
    desktop, drawn = plot_over_sigmoid(raw.ravel(), normalized.ravel(), before, after)
    phone, _ = plot_over_sigmoid(raw.ravel(), normalized.ravel(), before, after, phone=True)
    out.figure("batchnorm_preactivations_sigmoid", desktop, phone=phone)

    out.data("batchnorm_preactivations", {
        "setup": {"depth": DEPTH, "width": WIDTH, "batch": BATCH, "init": INIT, "bias_std": BIAS_STD,
                  "seeds": list(SEEDS), "shown_layer": SHOWN_LAYER, "shown_seed": SHOWN_SEED},
        "layers": layers.tolist(),
        **{name: {"quantiles": r[0].tolist(), "saturated": r[1].tolist(), "hidden_grad_rms": r[2].tolist()}
           for name, r in res.items()},
        "drawn": drawn,
    })
    out.table("batchnorm_preactivations_setup", markdown_table(
        ["network", "data", "measured", "seeds"],
        [[f"{DEPTH} sigmoid layers x {WIDTH} units, Xavier weights, biases from N(0, {BIAS_STD:g}²), "
          "with and without batch norm",
          f"first {BATCH} digits (batch statistics over them)", "at initialization", len(SEEDS)]], align="llll"))
    out.number("depth", DEPTH)
    out.number("bias_std", BIAS_STD)
    out.number("saturated_z", SATURATED)
    out.number("slope_at_saturated", float(activations.get("sigmoid").derivative(SATURATED)), digits=2)
    out.number("shown_layer", SHOWN_LAYER)
    out.number("shown_saturated_pct_before", round(before))
    out.number("shown_saturated_pct_after", round(after))
    for name, _ in VARIANTS:
        out.number(f"saturated_pct_{name}", round(100 * float(np.median(res[name][1][:, 1:]))))
        g = res[name][2]
        out.number(f"ratio_{name}", float(np.median(g[:, 0] / g[:, -1])), digits=2)
    # Batch norm divides each unit's z by its spread over the batch; on the way back it
    # multiplies the error signal by the same 1/spread (median over the units of the shown
    # layer and the seeds), after projecting out the batch's mean and normalized z.
    out.number("bn_backward_gain", float(np.median(1 / np.sqrt(res["with"][5] ** 2 + networks.BN_EPSILON))), digits=2)
