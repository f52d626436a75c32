"""Activation and gradient variance per layer of a deep ReLU network, for three initializations.

Var(W) = 1 (standard normal) multiplies the signal's variance by about width/2 per
layer: it explodes. Xavier (1/width here, since fan_in = fan_out) halves it per layer,
because ReLU zeroes half of each layer: it vanishes. He (2/width) keeps it constant,
forwards and backwards. Measured at initialization on the digits.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, gradients, networks, style
from vanishing.outputs import markdown_table

DEPTH, WIDTH, BATCH = 40, 128, 256
SEEDS = range(8)
SCHEMES = (("standard_normal", "standard normal, Var(W) = 1"),
           ("xavier", "Xavier, Var(W) = 1/n (for tanh)"),
           ("he", "He, Var(W) = 2/n (for ReLU)"))
COLOURS = {"standard_normal": style.OKABE_ITO["vermillion"], "xavier": style.OKABE_ITO["orange"],
           "he": style.OKABE_ITO["blue"]}
LINESTYLES = {"standard_normal": "-", "xavier": "--", "he": "-."}
# With He initialization, the median over seeds of every layer's pre-activation
# variance stays within this band of the first layer's (the page quotes it; a test
# checks it). Single networks wander further: finite width makes each layer's variance
# a random factor, and those factors multiply too.
HE_BAND = (0.25, 4.0)


# --8<-- [start:init_variance_per_layer]
def measure(x, y, scheme):
    cfg = networks.MLPConfig(DEPTH, WIDTH, x.shape[1], 10, activation="relu", init=scheme)
    params = networks.init_many(cfg, SEEDS)

    def one(p):
        _, trace = networks.forward(p, cfg, x)
        grads = gradients.layer_gradients(p, cfg, x, y)
        return jnp.mean(trace["z"] ** 2, axis=(1, 2)), grads["hidden_grad_rms"] ** 2

    z_var, g_sq = jax.jit(jax.vmap(one))(params)
    return np.asarray(z_var), np.asarray(g_sq)
# --8<-- [end:init_variance_per_layer]


def build(out):
    x, y = data.digits()
    x, y = x[:BATCH], y[:BATCH]
    layers = np.arange(1, DEPTH + 1)
    results = {scheme: measure(x, y, scheme) for scheme, _ in SCHEMES}

    fig, (ax_a, ax_g) = style.figure(2, 1, sharex=True)
    for scheme, label in SCHEMES:
        z_var, g_sq = results[scheme]
        style.band(ax_a, layers, z_var, COLOURS[scheme], label, LINESTYLES[scheme])
        style.band(ax_g, layers, g_sq, COLOURS[scheme], label, LINESTYLES[scheme])
    ax_a.set(yscale="log", ylabel="mean $z_l^2$", title="Forward: size of the pre-activations")
    ax_g.set(yscale="log", ylabel="mean $\\|\\partial \\mathcal{L}/\\partial h_l\\|^2$", xlabel="hidden layer $l$",
             title="Backward: size of the error signal")
    style.legend_below(ax_a, ncols=1, fontsize=10)
    style.whole_numbers(*fig.axes)
    out.figure("init_variance_per_layer", fig)

    he_ratio = np.median(results["he"][0] / results["he"][0][:, :1], axis=0)  # (depth,)
    single = results["he"][0] / results["he"][0][:, :1]
    if not (HE_BAND[0] <= he_ratio.min() and he_ratio.max() <= HE_BAND[1]):
        raise ValueError(f"He variance left the band {HE_BAND}: {he_ratio.min()}..{he_ratio.max()}")

    out.data("init_variance_per_layer", {
        "layers": layers.tolist(), "he_band": list(HE_BAND),
        **{scheme: {"z_var": results[scheme][0].tolist(), "grad_sq": results[scheme][1].tolist()}
           for scheme, _ in SCHEMES},
    })
    out.table("init_variance_per_layer_setup", markdown_table(
        ["network", "data", "measured", "seeds"],
        [[f"{DEPTH} ReLU layers x {WIDTH} units, biases 0", f"first {BATCH} digits",
          "at initialization, no training", len(SEEDS)]], align="llll"))
    out.number("depth", DEPTH)
    out.number("width", WIDTH)
    out.number("width_half", WIDTH / 2)  # n v / 2 per layer for standard-normal weights (v = 1)
    out.number("band_low", HE_BAND[0])
    out.number("band_high", HE_BAND[1])
    out.number("he_ratio_min", float(he_ratio.min()), digits=2)
    out.number("he_ratio_max", float(he_ratio.max()), digits=2)
    out.number("he_single_min", float(single.min()), digits=2)
    out.number("he_single_max", float(single.max()), digits=2)
    for scheme in ("standard_normal", "xavier"):
        z = results[scheme][0]
        out.number(f"{scheme}_last_over_first", float(np.median(z[:, -1] / z[:, 0])), digits=2)
        # The same growth as a factor per layer (geometric mean), to compare with n v / 2.
        out.number(f"{scheme}_per_layer", float(np.median(z[:, -1] / z[:, 0]) ** (1 / (DEPTH - 1))), digits=2)
