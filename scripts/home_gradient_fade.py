"""The home page's picture: how big the gradient is at each layer of a deep network, at initialization.

Two networks of 30 hidden layers of 64 units (plus a read-out layer) look at the same
scikit-learn digits: one with sigmoid units and Xavier initialization (the classic setup
that fails), one with ReLU units and He initialization. For each we draw ||dL/dW_l||, the size of the gradient on layer l's
weights, for several random initializations (median line, min-max band). In the sigmoid
network the first layers get a gradient many orders of magnitude smaller than the last.
"""

import numpy as np

from vanishing import data, gradients, networks, style
from vanishing.outputs import markdown_table

DEPTH = 30
WIDTH = 64
SEEDS = tuple(range(5))
LOSS = "cross_entropy"
NETWORKS = (  # (activation, initialization, label)
    ("sigmoid", "xavier", "sigmoid, Xavier init"),
    ("relu", "he", "ReLU, He init"),
)


# --8<-- [start:home_gradient_fade]
def measure(x, y) -> dict:
    """Per-layer weight-gradient norms, shaped (seed, layer), for every network."""
    results = {}
    for activation, init, _ in NETWORKS:
        cfg = networks.MLPConfig(DEPTH, WIDTH, x.shape[1], 10, activation=activation, init=init)
        g = gradients.gradients_at_init(cfg, x, y, SEEDS, loss=LOSS)
        results[activation] = np.asarray(g["weight_grad_norm"])
    return results
# --8<-- [end:home_gradient_fade]


def build(out):
    x, y = data.digits()
    norms = measure(x, y)
    layers = np.arange(1, DEPTH + 2)  # DEPTH hidden layers, then the read-out layer

    fig, ax = style.figure()
    for activation, _, label in NETWORKS:
        colour = style.ACTIVATION_COLOURS[activation]
        values = norms[activation]
        ax.fill_between(layers, values.min(axis=0), values.max(axis=0), color=colour, alpha=0.25, linewidth=0)
        ax.plot(layers, np.median(values, axis=0), color=colour,
                linestyle=style.ACTIVATION_LINESTYLES[activation], label=label)
    ax.set_yscale("log")
    # The error signal starts at the read-out layer (right) and travels back to layer 1 (left).
    arrow = ax.annotate("", xy=(3, 1e-5), xytext=(17, 1e-5),
                arrowprops=dict(arrowstyle="->", color=style.OKABE_ITO["black"], linewidth=1.5))
    direction = ax.text(10, 3e-5, "the error signal travels this way", ha="center", va="bottom", fontsize=10)
    ax.set(xlabel=f"layer (1 = next to the input, {DEPTH + 1} = read-out)",
           ylabel="gradient size (log scale)",
           title=f"{DEPTH} hidden layers of {WIDTH} units, at initialization", xlim=(1, DEPTH + 1))
    ax.legend(loc="lower right")
    style.whole_numbers(*fig.axes)

    def two_lines(phone_fig):
        """On a phone the label, in larger type, ran past the axes onto the tick labels:
        two lines, with the arrow lower so that they clear the ReLU band and the sigmoid line."""
        arrow.xy, arrow.xyann = (3, 1e-7), (17, 1e-7)
        direction.set(text="the error signal\ntravels this way", y=3e-7)

    out.figure("home_gradient_fade", fig, phone=two_lines)

    out.data("home_gradient_fade", {
        "layer": layers.tolist(),
        **{a: norms[a].tolist() for a, _, _ in NETWORKS},
    })
    out.table("home_gradient_fade_setup", markdown_table(
        ["Setting", "Value"],
        [["data", f"scikit-learn digits, all {x.shape[0]} images (8x8 pixels, standardized)"],
         ["network", f"{DEPTH} hidden layers of {WIDTH} units, then a read-out layer to 10 classes"],
         ["networks compared", "; ".join(label for _, _, label in NETWORKS)],
         ["loss", "softmax cross-entropy over the whole data set"],
         ["gradient", "Frobenius norm of the gradient on each weight matrix, before any training"],
         ["seeds", f"{len(SEEDS)} random initializations; line = median, band = min to max"]],
        align="ll",
    ))
    sig = np.median(norms["sigmoid"], axis=0)
    out.number("depth", DEPTH)
    out.number("width", WIDTH)
    out.number("seeds", len(SEEDS))
    out.number("sigmoid_first_layer", float(sig[0]), digits=2)
    out.number("sigmoid_last_hidden_layer", float(sig[DEPTH - 1]), digits=2)
    out.number("sigmoid_decades_lost", round(float(np.log10(sig[DEPTH - 1] / sig[0]))))
    # Per seed, ReLU's first layer gets this fraction of its last hidden layer's gradient ...
    per_seed = norms["relu"][:, 0] / norms["relu"][:, DEPTH - 1]
    out.number("relu_ratio_min", float(per_seed.min()), digits=2)
    out.number("relu_ratio_max", float(per_seed.max()), digits=2)
    # ... while the overall size differs a lot between seeds (why ReLU's band is wide).
    out.number("relu_last_hidden_min", float(norms["relu"][:, DEPTH - 1].min()), digits=2)
    out.number("relu_last_hidden_max", float(norms["relu"][:, DEPTH - 1].max()), digits=2)
