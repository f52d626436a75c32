"""Gradient size at every layer of sigmoid networks of different depths, as a heatmap.

Each row is a freshly initialized sigmoid MLP (Xavier init, width 64) of a given depth;
each cell is the size of the weight gradient ||dL/dW_l|| of one layer, relative to the
layer nearest the output, on a log colour scale (median over seeds). Read a row from
right to left to follow the error signal backwards: the deeper the network, the darker
(smaller) its first layers get.
"""

import matplotlib.colors as mcolors
import numpy as np

from vanishing import data, gradients, networks, style

DEPTHS = (5, 10, 20, 30, 40, 50)
WIDTH, INIT, EXAMPLES = 64, "xavier", 256
SEEDS = tuple(range(3))


def relative_gradients(depth: int) -> np.ndarray:
    """Median over seeds of ||dL/dW_l|| / ||dL/dW_L|| for hidden layers l = 1..depth."""
    x, y = data.digits()
    cfg = networks.MLPConfig(depth=depth, width=WIDTH, in_dim=64, out_dim=10, activation="sigmoid", init=INIT)
    norms = np.asarray(gradients.gradients_at_init(cfg, x[:EXAMPLES], y[:EXAMPLES], SEEDS)["weight_grad_norm"])
    hidden = norms[:, :depth]  # drop the read-out layer
    return np.exp(np.median(np.log(hidden / hidden[:, -1:]), axis=0))


def build(out):
    grid = np.full((len(DEPTHS), max(DEPTHS)), np.nan)
    for row, depth in enumerate(DEPTHS):
        grid[row, :depth] = relative_gradients(depth)

    fig, ax = style.figure()
    ax.grid(False)
    image = ax.imshow(
        grid, aspect="auto", cmap="viridis", interpolation="nearest",
        norm=mcolors.LogNorm(vmin=np.nanmin(grid), vmax=1.0),
        extent=(0.5, max(DEPTHS) + 0.5, len(DEPTHS) - 0.5, -0.5),
    )
    ax.set_yticks(range(len(DEPTHS)), [str(d) for d in DEPTHS])
    ax.set(xlabel="layer $l$ (1 = nearest the input)", ylabel="network depth $L$")
    fig.colorbar(image, ax=ax, label="$\\|\\partial \\mathcal{L}/\\partial W_l\\|$ relative to the last hidden layer")
    out.figure("gradient_heatmap_by_depth", fig)

    out.data("gradient_heatmap_by_depth", {
        "setup": {"depths": list(DEPTHS), "width": WIDTH, "init": INIT, "examples": EXAMPLES, "seeds": list(SEEDS)},
        "relative_gradient": [[None if np.isnan(v) else float(v) for v in row] for row in grid],
    })
    out.number("deepest", max(DEPTHS))
    out.number("deepest_first_layer", float(grid[-1, 0]), digits=2)
    out.number("shallowest", min(DEPTHS))
    out.number("shallowest_first_layer", float(grid[0, 0]), digits=2)
    out.number("seeds", len(SEEDS))
