"""The twin problem: when the factors are larger than 1, the product explodes.

Top: a 30-layer tanh network at initialization whose Gaussian weights have standard
deviation g / sqrt(width): the Xavier scale times a gain g. The same chain-rule product
that vanishes for small g explodes for large g (median and range over seeds).

Bottom: the product of random matrices on its own. A vector is multiplied by L random
64 x 64 matrices with entries N(0, g^2/64), and we follow its length. Because every
matrix is independent and rotation-invariant, log|v| is a sum of independent steps with
the exact mean log g + (digamma(n/2) - log(n/2))/2 per matrix (dashed lines).
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import digamma

from vanishing import data, gradients, networks, style
from vanishing.outputs import markdown_table

DEPTH, WIDTH, EXAMPLES = 30, 64, 256
GAINS = (0.5, 1.0, 2.0)
SEEDS = tuple(range(5))
MATRIX_SIZE, MATRIX_PRODUCT_LENGTH, MATRIX_GAINS = 64, 50, (0.9, 1.0, 1.1)
MATRIX_SEEDS = 20
GAIN_COLOURS = (style.OKABE_ITO["sky_blue"], style.OKABE_ITO["black"], style.OKABE_ITO["vermillion"])


# --8<-- [start:exploding_gradients]
def network_signal() -> dict[float, np.ndarray]:
    x, y = data.digits()
    x, y = x[:EXAMPLES], y[:EXAMPLES]
    cfg = networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, activation="tanh", init="xavier")

    @jax.jit
    def signal(keys, gain):  # one compilation serves every gain
        def one(key):
            params = networks.init_params(key, cfg)
            params = params | {k: gain * params[k] for k in ("w_in", "w_hidden", "w_out")}
            return gradients.layer_gradients(params, cfg, x, y)["hidden_grad_rms"]
        return jax.vmap(one)(keys)

    keys = jnp.stack([jax.random.PRNGKey(s) for s in SEEDS])
    return {g: np.asarray(signal(keys, g)) for g in GAINS}


def matrix_products() -> dict[float, np.ndarray]:
    """log10 |M_L ... M_1 v| / |v| for L = 0..length, one row per seed."""
    n = MATRIX_SIZE

    @jax.jit
    def log_norms(key, gain):
        keys = jax.random.split(key, MATRIX_PRODUCT_LENGTH + 1)
        v0 = jax.random.normal(keys[0], (n,))

        def step(v, k):
            v = (gain / jnp.sqrt(n)) * jax.random.normal(k, (n, n)) @ v
            return v, jnp.log10(jnp.linalg.norm(v))

        _, logs = jax.lax.scan(step, v0, keys[1:])
        return jnp.concatenate([jnp.zeros(1), logs - jnp.log10(jnp.linalg.norm(v0))])

    keys = jax.random.split(jax.random.PRNGKey(2024), MATRIX_SEEDS)
    return {g: np.asarray(jax.vmap(log_norms, in_axes=(0, None))(keys, g)) for g in MATRIX_GAINS}
# --8<-- [end:exploding_gradients]


def theory_log10_per_matrix(gain: float) -> float:
    n = MATRIX_SIZE
    return float((jnp.log(gain) + 0.5 * (digamma(n / 2) - jnp.log(n / 2))) / jnp.log(10.0))


def build(out):
    signal = network_signal()
    products = matrix_products()

    fig, (ax_net, ax_mat) = style.figure(2, 1)
    layers = np.arange(1, DEPTH + 1)
    for g, colour in zip(GAINS, GAIN_COLOURS):
        style.band(ax_net, layers, signal[g], colour, label=f"gain $g = {g:g}$", log=True)
    ax_net.set(yscale="log", xlabel="hidden layer $l$ (1 = nearest the input)", ylabel="$|\\partial \\mathcal{L}/\\partial h_l|$",
               title=f"{DEPTH}-layer tanh network, weights $\\sim N(0, g^2/{WIDTH})$", xlim=(1, DEPTH))
    ax_net.legend(loc="lower right", fontsize=10)
    lengths = np.arange(MATRIX_PRODUCT_LENGTH + 1)
    for g, colour in zip(MATRIX_GAINS, GAIN_COLOURS):
        style.band(ax_mat, lengths, products[g], colour, label=f"$g = {g:g}$")
        ax_mat.plot(lengths, lengths * theory_log10_per_matrix(g), color=colour, linestyle="--", linewidth=1.2)
    ax_mat.set(xlabel="number of random matrices multiplied, $L$", ylabel="$\\log_{10}$ length of $v$",
               title=f"product of random {MATRIX_SIZE}$\\times${MATRIX_SIZE} matrices", xlim=(0, MATRIX_PRODUCT_LENGTH))
    ax_mat.legend(loc="upper left", fontsize=10)
    style.whole_numbers(*fig.axes)
    out.figure("exploding_gradients", fig)

    rows = []
    for g in MATRIX_GAINS:
        measured = np.median(products[g][:, -1]) / MATRIX_PRODUCT_LENGTH
        rows.append([f"{g:g}", f"{10 ** measured:.4f}", f"{10 ** theory_log10_per_matrix(g):.4f}",
                     f"{g ** MATRIX_PRODUCT_LENGTH:.3g}", f"{10 ** np.median(products[g][:, -1]):.3g}"])
    out.table("exploding_gradients_growth_factors", markdown_table(
        ["Gain $g$", "Measured typical factor per matrix", "Exact typical factor $e^{\\mathbb{E}\\log}$", f"$g^{{{MATRIX_PRODUCT_LENGTH}}}$",
         f"Measured after {MATRIX_PRODUCT_LENGTH} matrices (median)"],
        rows, align="lrrrr",
    ))
    out.data("exploding_gradients", {
        "setup": {"depth": DEPTH, "width": WIDTH, "gains": list(GAINS), "seeds": list(SEEDS),
                  "matrix_size": MATRIX_SIZE, "matrix_gains": list(MATRIX_GAINS), "matrix_seeds": MATRIX_SEEDS},
        "network_signal": {f"{g:g}": signal[g].tolist() for g in GAINS},
        "matrix_log10_norms": {f"{g:g}": products[g].tolist() for g in MATRIX_GAINS},
    })
    for g in GAINS:
        key = f"{g:g}".replace(".", "_")
        out.number(f"gain_{key}_first_over_last", float(np.median(signal[g][:, 0] / signal[g][:, -1])), digits=2)
    out.number("depth", DEPTH)
    out.number("width", WIDTH)
    out.number("seeds", len(SEEDS))
    out.number("matrix_seeds", MATRIX_SEEDS)
    out.number("matrix_length", MATRIX_PRODUCT_LENGTH)
    out.number("unit_gain_drift_per_matrix", 10 ** theory_log10_per_matrix(1.0), digits=4)
