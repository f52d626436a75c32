"""What vanishing gradients do to training: deep sigmoid vs deep ReLU networks on digits.

Two 10-layer MLPs that differ only in their activation (sigmoid or ReLU; both Xavier
initialization, width 32) are trained with plain mini-batch SGD on scikit-learn's
1,797 handwritten digits, several seeds each. We record at every step the loss, every
layer's gradient norm ||dL/dW_l|| (Nielsen's "speed of learning") and how far every
layer's weights have moved from their starting values.

The plateau figure adds a control: the ReLU network trained with a learning rate 100
times smaller. Its loss is flat too, but its gradients are about the same size in every
layer, so a flat loss alone does not prove that gradients vanished. (The control shares
its compiled training function with the ReLU runs: the learning rate is per run.)
"""

import jax
import numpy as np

from vanishing import data, networks, style, training

DEPTH, WIDTH, INIT = 10, 32, "xavier"
STEPS, BATCH, LR = 600, 64, 0.1
SEEDS = tuple(range(5))
CONTROL_LR = 0.001
SMOOTH = 25  # steps in the moving average of the noisy per-step gradient norms
PLOT_EVERY = 5  # plot every 5th (already smoothed) step: same picture, far smaller SVG

LABELS = {
    "sigmoid": f"sigmoid, {DEPTH} layers",
    "relu": f"ReLU, {DEPTH} layers",
    "control": f"ReLU, {DEPTH} layers, learning rate {CONTROL_LR}",
}
COLOURS = {"sigmoid": style.ACTIVATION_COLOURS["sigmoid"], "relu": style.ACTIVATION_COLOURS["relu"],
           "control": style.OKABE_ITO["black"]}


# --8<-- [start:deep_network_training]
def train(activation: str, rates: tuple[float, ...]) -> list[dict]:
    """Train every seed at every learning rate in one compiled call; one result per rate."""
    x, y = data.digits()
    net = networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, activation=activation, init=INIT)
    per_rate = [rate for rate in rates for _ in SEEDS]
    history = training.train_mlp(net, training.TrainConfig(STEPS, BATCH, rates[0]), x, y, SEEDS * len(rates),
                                 learning_rates=per_rate)
    accuracy = jax.jit(jax.vmap(lambda p: training.accuracy(networks.forward(p, net, x)[0], y)))(history["params"])
    arrays = {k: np.asarray(history[k]) for k in ("loss", "grad_norm", "weight_change")}
    arrays["accuracy"] = np.asarray(accuracy)
    n = len(SEEDS)
    return [{k: v[i * n:(i + 1) * n] for k, v in arrays.items()} for i in range(len(rates))]
# --8<-- [end:deep_network_training]


def forward_spread(activation: str) -> np.ndarray:
    """How different the digits still look at each hidden layer of a fresh network.

    For every layer: the standard deviation of each unit's output across all digits,
    averaged over units; one row per seed. If it shrinks towards 0, every digit produces
    the same activations and the read-out has nothing left to tell apart.
    """
    x, _ = data.digits()
    net = networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, activation=activation, init=INIT)
    params = networks.init_many(net, SEEDS)
    hidden = jax.jit(jax.vmap(lambda p: networks.forward(p, net, x)[1]["h"]))(params)  # (seeds, depth, n, width)
    return np.asarray(hidden.std(axis=2).mean(axis=2))


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Average over `window` consecutive steps (last axis), keeping every PLOT_EVERY-th point."""
    kernel = np.ones(window) / window
    return np.apply_along_axis(lambda v: np.convolve(v, kernel, mode="valid"), -1, values)[..., ::PLOT_EVERY]


def plot_loss(runs, steps):
    fig, ax = style.figure()
    for name in ("sigmoid", "relu"):
        style.band(ax, steps[SMOOTH - 1::PLOT_EVERY], moving_average(runs[name]["loss"], SMOOTH), COLOURS[name], LABELS[name])
    ax.axhline(np.log(10), color=style.OKABE_ITO["black"], linestyle=":", linewidth=1)
    ax.annotate("guessing: $\\ln 10$", xy=(STEPS * 0.62, np.log(10) + 0.08), fontsize=10)
    ax.set(xlabel="training step", ylabel="training loss (cross-entropy)", ylim=(0, 2.8))
    ax.legend(loc="center right")
    return fig


def plot_per_layer(runs, steps, key, ylabel, smooth):
    """Two stacked panels (sigmoid, ReLU), one line per hidden layer over training steps."""
    fig, axes = style.figure(2, 1, sharex=True, sharey=True)
    cmap = style.plt.get_cmap("viridis")
    for ax, name in zip(axes, ("sigmoid", "relu")):
        series = runs[name][key].transpose(0, 2, 1)  # (seeds, layers, steps)
        series = moving_average(series, SMOOTH) if smooth else series[..., SMOOTH - 1::PLOT_EVERY]
        median = np.exp(np.median(np.log(series), axis=0))
        for layer in range(DEPTH):  # hidden layers; the read-out layer is left out
            ax.plot(steps[SMOOTH - 1::PLOT_EVERY], median[layer], color=cmap(layer / (DEPTH - 1)), linewidth=1.6,
                    label=f"layer {layer + 1}" if layer in (0, DEPTH - 1) else None)
        ax.set(yscale="log", title=LABELS[name], ylabel=ylabel)
    axes[-1].set(xlabel="training step")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)  # covers no line
    return fig


def plot_plateau(runs, steps):
    fig, (ax_loss, ax_grad) = style.figure(2, 1)
    for name in ("sigmoid", "control"):
        style.band(ax_loss, steps[SMOOTH - 1::PLOT_EVERY], moving_average(runs[name]["loss"], SMOOTH), COLOURS[name], LABELS[name])
    ax_loss.set(xlabel="training step", ylabel="training loss", ylim=(2.0, 2.6))
    ax_loss.legend(loc="upper right", fontsize=9)
    for name in ("sigmoid", "control"):
        depth = DEPTH
        start = runs[name]["grad_norm"][:, :SMOOTH, :depth].mean(axis=1)  # (seeds, hidden layers)
        relative = start / start[:, -1:]
        style.band(ax_grad, np.arange(1, depth + 1), relative, COLOURS[name], LABELS[name], log=True)
        ax_grad.plot(np.arange(1, depth + 1), np.exp(np.median(np.log(relative), axis=0)), "o", color=COLOURS[name])
    ax_grad.set(yscale="log", xlabel="hidden layer $l$", ylabel="$\\|\\partial \\mathcal{L}/\\partial W_l\\|$ / last layer's",
                xlim=(0.8, DEPTH + 0.2))
    style.whole_numbers(ax_grad)
    return fig


def build(out):
    runs = {"sigmoid": train("sigmoid", (LR,))[0]}
    runs["relu"], runs["control"] = train("relu", (LR, CONTROL_LR))
    steps = np.arange(1, STEPS + 1)
    out.figure("deep_network_training_loss", plot_loss(runs, steps))
    out.figure("deep_network_training_speed",
               plot_per_layer(runs, steps, "grad_norm", "$\\|\\partial \\mathcal{L}/\\partial W_l\\|$", smooth=True))
    out.figure("deep_network_training_weight_change",
               plot_per_layer(runs, steps, "weight_change", "$\\|W_l - W_l^{start}\\| / \\|W_l^{start}\\|$",
                              smooth=False))
    out.figure("deep_network_training_plateau", plot_plateau(runs, steps))
    out.data("deep_network_training", {
        "setup": {"depth": DEPTH, "width": WIDTH, "init": INIT, "steps": STEPS, "batch": BATCH,
                  "learning_rate": LR, "seeds": list(SEEDS)},
        **{name: {"loss_every_10": r["loss"][:, ::10].tolist(), "accuracy": r["accuracy"].tolist(),
                  "final_weight_change": r["weight_change"][:, -1].tolist()} for name, r in runs.items()},
    })

    for name in runs:
        r = runs[name]
        out.number(f"{name}_final_loss", float(np.median(r["loss"][:, -SMOOTH:].mean(axis=1))), digits=2)
    for name in ("sigmoid", "relu"):
        out.number(f"{name}_accuracy_pct", round(100 * float(np.median(runs[name]["accuracy"]))))
    for name in ("sigmoid", "relu"):
        start = runs[name]["grad_norm"][:, :SMOOTH, :DEPTH].mean(axis=1)
        out.number(f"{name}_speed_ratio", float(np.median(start[:, 0] / start[:, -1])), digits=2)
        change = runs[name]["weight_change"][:, -1, :DEPTH]
        out.number(f"{name}_change_first", float(np.median(change[:, 0])), digits=2)
        out.number(f"{name}_change_last", float(np.median(change[:, -1])), digits=2)
    spread = forward_spread("sigmoid")
    out.number("sigmoid_spread_first", float(np.median(spread[:, 0])), digits=2)
    out.number("sigmoid_spread_last", float(np.median(spread[:, -1])), digits=2)
    control = runs["control"]["grad_norm"][:, :SMOOTH, :DEPTH].mean(axis=1)
    out.number("control_speed_ratio", float(np.median(control[:, 0] / control[:, -1])), digits=2)
    for key, value in {"depth": DEPTH, "width": WIDTH, "steps": STEPS, "batch": BATCH, "lr": LR,
                       "seeds": len(SEEDS), "control_lr": CONTROL_LR,
                       "epochs": round(STEPS * BATCH / data.digits()[0].shape[0]), "smooth": SMOOTH,
                       "control_lr_ratio": round(LR / CONTROL_LR)}.items():
        out.number(key, value)
