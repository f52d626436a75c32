"""Per-layer error signal of plain against residual networks, 100 layers deep.

Plain: h_l = phi(h_{l-1} W_l + b_l). Residual: h_l = h_{l-1} + phi(h_{l-1} W_l + b_l)
(the library's MLP with residual=True, branch_scale=1). The residual layer's Jacobian
is I + dF/dh, so the identity part hands the error signal back unchanged.
"""

import jax
import numpy as np

from vanishing import data, gradients, networks, style
from vanishing.outputs import markdown_table

DEPTH, WIDTH, BATCH = 100, 32, 256
SEEDS = range(8)
ACTIVATIONS = ("sigmoid", "tanh")
INIT = "xavier"
BRANCH_SCALE = 1.0
# Every seed's residual first-layer signal exceeds every seed's plain one by at least
# this factor, for each activation (the page quotes it; a test checks it).
MARGIN = 10.0


# --8<-- [start:residual_gradient_flow]
def measure(x, y, activation, residual):
    cfg = networks.MLPConfig(DEPTH, WIDTH, x.shape[1], 10, activation=activation, init=INIT,
                             residual=residual, branch_scale=BRANCH_SCALE)
    params = networks.init_many(cfg, SEEDS)
    run = jax.jit(jax.vmap(lambda p: gradients.layer_gradients(p, cfg, x, y)["hidden_grad_rms"]))
    return np.asarray(run(params))
# --8<-- [end:residual_gradient_flow]


def build(out):
    x, y = data.digits()
    x, y = x[:BATCH], y[:BATCH]
    layers = np.arange(1, DEPTH + 1)
    res = {(a, r): measure(x, y, a, r) for a in ACTIVATIONS for r in (False, True)}

    # Top: every network, over the whole range. Bottom: the top band enlarged, where plain
    # sigmoid's fall would hide that plain tanh fades and residual tanh grows.
    fig, (ax, zoom) = style.figure(2, 1, sharex=True)
    for target in (ax, zoom):
        for a in ACTIVATIONS:
            for r in (False, True):
                if target is zoom and (a, r) == ("sigmoid", False):
                    continue
                style.band(target, layers, res[a, r], style.ACTIVATION_COLOURS[a],
                           f"{'residual' if r else 'plain'} {a}" if target is ax else None, "-" if r else ":")
        target.set(yscale="log", ylabel="RMS $\\|\\partial \\mathcal{L}/\\partial h_l\\|$")
    ax.set(title=f"Error signal per layer, {DEPTH} layers")
    zoom.set(xlabel="hidden layer $l$ (1 = next to the input)", title="the same, enlarged (without plain sigmoid)")
    ax.legend(loc="lower right", ncols=2, fontsize=10)
    style.whole_numbers(*fig.axes)
    out.figure("residual_gradient_flow", fig)

    out.data("residual_gradient_flow", {
        "layers": layers.tolist(), "margin": MARGIN,
        **{f"{'residual' if r else 'plain'}_{a}": v.tolist() for (a, r), v in res.items()},
    })
    out.table("residual_gradient_flow_setup", markdown_table(
        ["network", "data", "measured", "seeds"],
        [[f"{DEPTH} layers x {WIDTH} units, sigmoid or tanh, Xavier init, plain or residual "
          f"(branch scale {BRANCH_SCALE:g})", f"first {BATCH} digits", "at initialization", len(SEEDS)]],
        align="llll"))
    out.number("depth", DEPTH)
    out.number("margin", MARGIN)
    for a in ACTIVATIONS:
        plain, resid = res[a, False], res[a, True]
        if resid[:, 0].min() < MARGIN * plain[:, 0].max():
            raise ValueError(f"{a}: residual first-layer signal does not beat plain by {MARGIN}")
        out.number(f"{a}_plain_ratio", float(np.median(plain[:, 0] / plain[:, -1])), digits=2)
        out.number(f"{a}_residual_ratio", float(np.median(resid[:, 0] / resid[:, -1])), digits=2)
        out.number(f"{a}_gain", float(np.median(resid[:, 0]) / np.median(plain[:, 0])), digits=2)
