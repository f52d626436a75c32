"""How strong is the error signal at each layer of a deep network, for sigmoid, tanh and ReLU?

A freshly initialized 30-layer MLP (Xavier/Glorot initialization for all three, so only
the activation differs) sees a batch of scikit-learn digits. For every hidden layer we
measure the size of the error signal dL/dh_l (root mean square over examples of its
vector norm) and plot it on a log scale, median over seeds with the min-max range.

We also tabulate the per-layer shrink factor: the typical ratio |dL/dh_{l-1}| / |dL/dh_l|,
next to the chain-rule bound for one layer, max phi' * ||W_l||_2 (the largest slope of
the activation times the largest stretch of the weight matrix).
"""

import numpy as np

from vanishing import activations, data, gradients, networks, style
from vanishing.outputs import markdown_table

ACTIVATIONS = ("sigmoid", "tanh", "relu")
DEPTH, WIDTH, INIT = 30, 64, "xavier"
EXAMPLES = 256
SEEDS = tuple(range(5))


def config(activation: str) -> networks.MLPConfig:
    return networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, activation=activation, init=INIT)


# --8<-- [start:gradient_flow_by_activation]
def measure(activation: str) -> dict:
    """Per-layer signal and one-layer bounds, one row per seed."""
    x, y = data.digits()
    x, y = x[:EXAMPLES], y[:EXAMPLES]
    cfg = config(activation)
    result = gradients.gradients_at_init(cfg, x, y, SEEDS)
    # Spectral norm of each width-to-width weight matrix: the most it can stretch a vector.
    # The same networks as above (init_many equals init_params seed by seed), in NumPy.
    spectral = np.linalg.norm(networks.init_many(cfg, SEEDS)["w_hidden"], ord=2, axis=(2, 3))
    signal = np.asarray(result["hidden_grad_rms"])  # (seeds, depth)
    ratios = signal[:, :-1] / signal[:, 1:]  # layer l-1 over layer l, for l = 2..depth
    return {
        "signal": signal,
        "ratio": ratios,
        "bound": activations.get(activation).max_slope * np.asarray(spectral),  # (seeds, depth - 1)
    }
# --8<-- [end:gradient_flow_by_activation]


def geometric_mean(values, axis=None):
    return np.exp(np.mean(np.log(values), axis=axis))


def build(out):
    results = {name: measure(name) for name in ACTIVATIONS}
    layers = np.arange(1, DEPTH + 1)

    fig, ax = style.figure()
    for name in ACTIVATIONS:
        style.band(ax, layers, results[name]["signal"], style.ACTIVATION_COLOURS[name],
                   label=activations.get(name).label, linestyle=style.ACTIVATION_LINESTYLES[name], log=True)
    ax.set(yscale="log", xlabel="hidden layer $l$ (1 = nearest the input)",
           ylabel="error signal size  $|\\partial \\mathcal{L}/\\partial h_l|$", xlim=(1, DEPTH))
    ax.legend(title=f"{DEPTH} layers, Xavier init")
    style.whole_numbers(*fig.axes)
    out.figure("gradient_flow_by_activation", fig)

    out.data("gradient_flow_by_activation", {
        "setup": {"depth": DEPTH, "width": WIDTH, "init": INIT, "examples": EXAMPLES, "seeds": list(SEEDS)},
        **{name: {"signal": r["signal"].tolist()} for name, r in results.items()},
    })

    rows = []
    for name in ACTIVATIONS:
        r = results[name]
        per_layer = geometric_mean(r["ratio"], axis=1)  # one typical factor per seed
        rows.append([
            activations.get(name).label,
            f"{np.median(per_layer):.3f} ({per_layer.min():.3f} to {per_layer.max():.3f})",
            f"{np.median(r['bound']):.2f}",
            f"{np.median(r['signal'][:, 0] / r['signal'][:, -1]):.1e}",
        ])
        out.number(f"{name}_shrink_per_layer", float(np.median(per_layer)), digits=2)
        out.number(f"{name}_first_over_last", float(np.median(r["signal"][:, 0] / r["signal"][:, -1])), digits=2)
        # The claim the page makes: every measured one-layer factor sits below its bound.
        assert np.all(r["ratio"] <= r["bound"]), f"{name}: a layer shrank less than the chain-rule bound allows"
    out.table("gradient_flow_by_activation_shrink_factors", markdown_table(
        ["Activation", "Measured factor per layer: median (range over seeds)",
         "Bound $\\max\\phi' \\cdot \\lVert W_l \\rVert_2$ (median)", "Layer 1 over layer 30"],
        rows, align="lrrr",
    ))
    out.number("sigmoid_bound_per_layer", float(np.median(results["sigmoid"]["bound"])), digits=2)
    # Chapter 3 measures the same ReLU + Xavier loss in mean square (variance), not in size:
    # a factor a in size is a factor a^2 in mean square.
    relu_per_layer = np.median(geometric_mean(results["relu"]["ratio"], axis=1))
    out.number("relu_shrink_per_layer_squared", float(relu_per_layer**2), digits=2)
    out.number("depth", DEPTH)
    out.number("width", WIDTH)
    out.number("examples", EXAMPLES)
    out.number("seeds", len(SEEDS))
