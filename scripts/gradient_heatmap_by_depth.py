"""Gradient size at every layer of sigmoid networks of different depths, as a heatmap.

Each row is a freshly initialized sigmoid MLP (Xavier init, width 64) of a given depth;
each cell is the size of the weight gradient ||dL/dW_l|| of one layer, relative to the
layer nearest the output, on a log colour scale (median over seeds). Read a row from
right to left to follow the error signal backwards: the deeper the network, the darker
(smaller) its first layers get.

All depths run through one compiled function: the explorer's masked network
(`vanishing.explorer`), a 50-layer stack that skips the layers beyond each row's depth
and is tested to equal the library's network of that depth.
"""

import jax
import jax.numpy as jnp
import matplotlib.colors as mcolors
import numpy as np

from vanishing import data, explorer, style

DEPTHS = (5, 10, 20, 30, 40, 50)
WIDTH, INIT, EXAMPLES = 64, "xavier", 256
SEEDS = tuple(range(3))


def weight_gradients() -> np.ndarray:
    """||dL/dW_l|| for every depth, seed and layer: (depths, seeds, max depth + 1)."""
    x, y = data.digits()
    x, y = x[:EXAMPLES], y[:EXAMPLES]
    grid = explorer.stack([explorer.setting("sigmoid", INIT, d, False, False) for d in DEPTHS])
    draws = [explorer.standard_draws(jax.random.PRNGKey(s), x.shape[1], WIDTH, 10, max(DEPTHS)) for s in SEEDS]
    draws = jax.tree.map(lambda *leaves: jnp.stack(leaves), *draws)

    @jax.jit
    def measure(grid, draws):
        def one(setting, draw):
            params = explorer.init_params(draw, setting.init)
            return explorer.layer_gradients(params, setting, x, y)["weight_grad_norm"]

        per_seed = jax.vmap(one, in_axes=(None, 0))
        return jax.vmap(per_seed, in_axes=(0, None))(grid, draws)

    return np.asarray(measure(grid, draws))


def relative_gradients(norms: np.ndarray, depth: int) -> np.ndarray:
    """Median over seeds of ||dL/dW_l|| / ||dL/dW_L|| for hidden layers l = 1..depth."""
    hidden = norms[:, :depth]  # input layer, then the depth - 1 hidden layers in use
    return np.exp(np.median(np.log(hidden / hidden[:, -1:]), axis=0))


def build(out):
    norms = weight_gradients()
    grid = np.full((len(DEPTHS), max(DEPTHS)), np.nan)
    for row, depth in enumerate(DEPTHS):
        grid[row, :depth] = relative_gradients(norms[row], depth)

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
