"""Gradient size at every layer of sigmoid networks of different depths, as a heatmap.

Each row is a freshly initialized sigmoid MLP (Xavier init, width 64) of a given depth;
each cell is the size of the weight gradient ||dL/dW_l|| of one layer, relative to the
layer nearest the output, on a log colour scale (median over seeds). Read a row from
right to left to follow the error signal backwards: the deeper the network, the darker
(smaller) its first layers get.

All depths run through one compiled function: the packed networks
(`vanishing.packed`), which put the six networks one after another in a single loop
over layers and are tested to equal the library's network of each depth.
"""

import jax
import jax.numpy as jnp
import matplotlib.colors as mcolors
import numpy as np

from vanishing import data, packed, style

DEPTHS = (5, 10, 20, 30, 40, 50)
WIDTH, INIT, EXAMPLES = 64, "xavier", 256
SEEDS = tuple(range(3))


# --8<-- [start:gradient_heatmap_by_depth]
def weight_gradients() -> list[np.ndarray]:
    """||dL/dW_l|| of the hidden layers l = 1..depth, for every depth: one (seeds, depth) array each."""
    x, y = data.digits()
    x, y = x[:EXAMPLES], y[:EXAMPLES]
    layout = packed.Layout(DEPTHS)
    c = packed.choice("sigmoid", INIT, False, False)
    keys = jnp.stack([jax.random.PRNGKey(s) for s in SEEDS])

    @jax.jit
    @jax.vmap
    def measure(key):
        draws = packed.standard_draws(key, x.shape[1], WIDTH, 10, max(DEPTHS))
        g = packed.layer_gradients(packed.init_params(draws, c.init, layout), c, x, y, layout)
        return g["w_in"], g["w_hidden"]

    # Input layers, then the slots: the order of the hidden states, so per_network splits it.
    return layout.per_network(np.concatenate([np.asarray(a) for a in measure(keys)], axis=1))


def relative_gradients(norms: np.ndarray) -> np.ndarray:
    """Median over seeds of ||dL/dW_l|| / ||dL/dW_L|| for hidden layers l = 1..depth."""
    return np.exp(np.median(np.log(norms / norms[:, -1:]), axis=0))
# --8<-- [end:gradient_heatmap_by_depth]


def build(out):
    norms = weight_gradients()
    grid = np.full((len(DEPTHS), max(DEPTHS)), np.nan)
    for row, depth in enumerate(DEPTHS):
        grid[row, :depth] = relative_gradients(norms[row])

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
