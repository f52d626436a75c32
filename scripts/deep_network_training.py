"""What vanishing gradients do to training: deep sigmoid vs deep ReLU networks on digits.

Two 10-layer MLPs that differ only in their activation (sigmoid or ReLU; both Xavier
initialization, width 32) are trained with plain mini-batch SGD on scikit-learn's
1,797 handwritten digits, several seeds each. We record at every step the loss, every
layer's gradient norm ||dL/dW_l|| (Nielsen's "speed of learning") and how far every
layer's weights have moved from their starting values.

Four more figures come from the same networks, so that they share compiled code:

* plateau: the ReLU network trained with a learning rate 100 times smaller. Its loss is
  flat too, but its gradients are about the same size in every layer, so a flat loss
  alone does not prove that gradients vanished (a per-run learning rate);
* signal_vs_weight: at the starting weights, the error signal dL/dh_l, the size of each
  layer's input h_{l-1} and the weight gradient dL/dW_l per layer. A weight gradient is
  the signal (times the slope) times the layer's input: in the ReLU network the inputs
  grow towards layer 1 as the signal fades, and the weight gradient stays level;
* optimizers: can a cleverer optimizer rescue the sigmoid network? Per-layer learning
  rates (layer l's rate is SGD's times layer 10's starting gradient over layer l's, so
  every layer starts with a step of the same size) and Adam (Kingma and Ba 2015) at its
  usual learning rate 1e-3, which did best of 3e-4, 1e-3 and 3e-3 in a small search
  (3e-4 did not leave the plateau, 3e-3 ended no lower). Same data, seeds and batches;
  all sigmoid runs share one compiled trainer (per-run rates, scales and optimizers).
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, gradients, networks, style, training

DEPTH, WIDTH, INIT = 10, 32, "xavier"
STEPS, BATCH, LR = 600, 64, 0.1
SEEDS = tuple(range(5))
CONTROL_LR = 0.001
ADAM_LR = 1e-3
SMOOTH = 25  # steps in the moving average of the noisy per-step gradient norms
PLOT_EVERY = 5  # plot every 5th (already smoothed) step: same picture, far smaller SVG

LABELS = {
    "sigmoid": f"sigmoid, {DEPTH} layers",
    "relu": f"ReLU, {DEPTH} layers",
    "control": f"ReLU, {DEPTH} layers, learning rate {CONTROL_LR}",
    "per_layer": "SGD, per-layer learning rates",
    "adam": f"Adam, learning rate {ADAM_LR:g}",
}
COLOURS = {"sigmoid": style.ACTIVATION_COLOURS["sigmoid"], "relu": style.ACTIVATION_COLOURS["relu"],
           "control": style.OKABE_ITO["black"], "per_layer": style.OKABE_ITO["orange"], "adam": style.OKABE_ITO["blue"]}
LINESTYLES = {"sigmoid": "-", "per_layer": ":", "adam": "--"}
START_SERIES = (  # key, label, colour, line style of the signal-vs-weight figure
    ("signal", "error signal $|\\partial \\mathcal{L}/\\partial h_l|$", style.OKABE_ITO["vermillion"], "-"),
    ("input", "layer's input $|h_{l-1}|$", style.OKABE_ITO["green"], ":"),
    ("weight", "weight gradient $\\|\\partial \\mathcal{L}/\\partial W_l\\|$", style.OKABE_ITO["blue"], "--"),
)


def network(activation: str) -> networks.MLPConfig:
    return networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, activation=activation, init=INIT)


def rms_norm(h: jax.Array) -> jax.Array:
    """Root mean square over examples (second-to-last axis) of each example's vector length."""
    return jnp.sqrt(jnp.mean(jnp.sum(h**2, axis=-1), axis=-1))


def at_start(activation: str) -> dict:
    """The starting networks on all digits, per hidden layer (seeds, depth).

    `signal` RMS ||dloss_i/dh_l||, `input` RMS ||h_{l-1}|| (h_0 the image), `weight`
    ||dL/dW_l|| for the hidden layers, `weight_all` including the read-out, and `spread`:
    how different the digits still look, the standard deviation of each unit's output
    across the digits, averaged over units. If it shrinks towards 0, every digit produces
    the same activations and the read-out has nothing left to tell apart.
    """
    x, y = data.digits()
    net = network(activation)

    def one(params):
        grads = gradients.layer_gradients(params, net, x, y)
        hidden = networks.forward(params, net, x)[1]["h"]  # h_1 .. h_depth, (depth, examples, width)
        return {"signal": grads["hidden_grad_rms"], "input": jnp.concatenate([rms_norm(x)[None], rms_norm(hidden[:-1])]),
                "weight_all": grads["weight_grad_norm"], "spread": hidden.std(axis=1).mean(axis=1)}

    result = {k: np.asarray(v) for k, v in jax.jit(jax.vmap(one))(training.start_networks(net, SEEDS)).items()}
    result["weight"] = result["weight_all"][:, :DEPTH]
    return result


def per_layer_scales(weight_all: np.ndarray) -> np.ndarray:
    """Each weight layer's learning-rate multiplier: last hidden layer's starting gradient / its own (read-out: 1)."""
    scales = weight_all[:, DEPTH - 1:DEPTH] / weight_all
    scales[:, DEPTH] = 1.0
    return scales


def scale_tree(scales: np.ndarray, net) -> dict:
    """A parameter-shaped tree (leading run axis) giving every weight and bias its layer's multiplier."""
    runs, hidden = scales.shape[0], scales[:, 1:DEPTH]
    return {
        "w_in": np.broadcast_to(scales[:, 0, None, None], (runs, net.in_dim, WIDTH)),
        "b_in": np.broadcast_to(scales[:, 0, None], (runs, WIDTH)),
        "w_hidden": np.broadcast_to(hidden[:, :, None, None], (runs, DEPTH - 1, WIDTH, WIDTH)),
        "b_hidden": np.broadcast_to(hidden[:, :, None], (runs, DEPTH - 1, WIDTH)),
        "w_out": np.broadcast_to(scales[:, DEPTH, None, None], (runs, WIDTH, net.out_dim)),
        "b_out": np.broadcast_to(scales[:, DEPTH, None], (runs, net.out_dim)),
        "gamma": np.ones((runs, DEPTH, WIDTH)),  # unused: no batch norm
        "beta": np.ones((runs, DEPTH, WIDTH)),
    }


# --8<-- [start:deep_network_training]
def train(activation: str, variants: list[dict]) -> list[dict]:
    """Train every seed of every variant in one compiled call; one result per variant.

    A variant may set `rate` (default LR), `optimizer` (default "sgd") and `scales`
    (per-layer learning-rate multipliers, (seeds, depth + 1)).
    """
    x, y = data.digits()
    net = network(activation)
    n = len(SEEDS)
    per_run = {"learning_rates": [v.get("rate", LR) for v in variants for _ in SEEDS]}
    if any("optimizer" in v for v in variants):
        per_run["optimizers"] = [v.get("optimizer", "sgd") for v in variants for _ in SEEDS]
    if any("scales" in v for v in variants):
        ones = np.ones((n, DEPTH + 1))
        per_run["lr_scales"] = scale_tree(np.concatenate([v.get("scales", ones) for v in variants]), net)
    history = training.train_mlp(net, training.TrainConfig(STEPS, BATCH, LR), x, y, SEEDS * len(variants), **per_run)
    accuracy = jax.jit(jax.vmap(lambda p: training.accuracy(networks.forward(p, net, x)[0], y)))(history["params"])
    arrays = {k: np.asarray(history[k]) for k in ("loss", "grad_norm", "weight_change")}
    arrays["accuracy"] = np.asarray(accuracy)
    return [{k: v[i * n:(i + 1) * n] for k, v in arrays.items()} for i in range(len(variants))]
# --8<-- [end:deep_network_training]


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Average over `window` consecutive steps (last axis), keeping every PLOT_EVERY-th point."""
    kernel = np.ones(window) / window
    return np.apply_along_axis(lambda v: np.convolve(v, kernel, mode="valid"), -1, values)[..., ::PLOT_EVERY]


def guessing_line(ax):
    ax.axhline(np.log(10), color=style.OKABE_ITO["black"], linestyle=":", linewidth=1)
    ax.annotate("guessing: $\\ln 10$", xy=(STEPS, np.log(10) + 0.08), ha="right", fontsize=10)  # grows leftwards


def plot_loss(runs, steps):
    fig, ax = style.figure()
    for name in ("sigmoid", "relu"):
        style.band(ax, steps[SMOOTH - 1::PLOT_EVERY], moving_average(runs[name]["loss"], SMOOTH), COLOURS[name], LABELS[name])
    guessing_line(ax)
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


def plot_signal_vs_weight(start):
    fig, axes = style.figure(2, 1, sharex=True)
    layers = np.arange(1, DEPTH + 1)
    for ax, name in zip(axes, ("sigmoid", "relu")):
        for key, label, colour, linestyle in START_SERIES:
            style.band(ax, layers, start[name][key] / start[name][key][:, -1:], colour, label, linestyle, log=True)
        ax.axhline(1.0, color=style.OKABE_ITO["black"], linewidth=0.8)
        ax.set(yscale="log", title=f"{LABELS[name]} of {WIDTH}, Xavier init, at the start", ylabel="relative to layer 10")
    axes[1].legend(loc="lower right", fontsize=9)
    axes[-1].set(xlabel="hidden layer $l$ (1 = nearest the input)", xlim=(1, DEPTH))
    return fig


def plot_optimizers(runs):
    fig, (ax_loss, ax_move) = style.figure(2, 1)
    steps = np.arange(STEPS).reshape(-1, SMOOTH).mean(axis=1) + 0.5
    layers = np.arange(1, DEPTH + 1)
    for name in ("sigmoid", "per_layer", "adam"):
        label = "SGD (as above)" if name == "sigmoid" else LABELS[name]
        smooth = runs[name]["loss"].reshape(len(SEEDS), -1, SMOOTH).mean(axis=2)
        style.band(ax_loss, steps, smooth, COLOURS[name], label, LINESTYLES[name])
        style.band(ax_move, layers, runs[name]["weight_change"][:, -1, :DEPTH], COLOURS[name], label,
                   LINESTYLES[name], log=True)
    guessing_line(ax_loss)
    ax_loss.set(xlabel="training step", ylabel="training loss", ylim=(1.4, 2.8), title=f"Deep sigmoid network, {DEPTH} layers")
    ax_loss.legend(loc="lower left", fontsize=9)
    ax_move.set(yscale="log", xlabel="hidden layer $l$ (1 = nearest the input)", xlim=(1, DEPTH),
                ylabel="$\\|W_l - W_l^{start}\\| / \\|W_l^{start}\\|$", title=f"How far each layer moved in {STEPS} steps")
    return fig


def build(out):
    start = {name: at_start(name) for name in ("sigmoid", "relu")}
    runs = {}
    runs["sigmoid"], runs["per_layer"], runs["adam"] = train("sigmoid", [
        {}, {"scales": per_layer_scales(start["sigmoid"]["weight_all"])}, {"rate": ADAM_LR, "optimizer": "adam"}])
    runs["relu"], runs["control"] = train("relu", [{}, {"rate": CONTROL_LR}])
    steps = np.arange(1, STEPS + 1)
    out.figure("deep_network_training_loss", plot_loss(runs, steps))
    out.figure("deep_network_training_speed",
               plot_per_layer(runs, steps, "grad_norm", "$\\|\\partial \\mathcal{L}/\\partial W_l\\|$", smooth=True))
    out.figure("deep_network_training_weight_change",
               plot_per_layer(runs, steps, "weight_change", "$\\|W_l - W_l^{start}\\| / \\|W_l^{start}\\|$",
                              smooth=False))
    out.figure("deep_network_training_plateau", plot_plateau(runs, steps))
    out.figure("deep_network_training_signal_vs_weight", plot_signal_vs_weight(start))
    out.figure("deep_network_training_optimizers", plot_optimizers(runs))
    out.data("deep_network_training", {
        "setup": {"depth": DEPTH, "width": WIDTH, "init": INIT, "steps": STEPS, "batch": BATCH,
                  "learning_rate": LR, "adam_learning_rate": ADAM_LR, "seeds": list(SEEDS)},
        **{name: {"loss_every_10": r["loss"][:, ::10].tolist(), "accuracy": r["accuracy"].tolist(),
                  "final_weight_change": r["weight_change"][:, -1].tolist()} for name, r in runs.items()},
        "at_start": {name: {k: s[k].tolist() for k in ("signal", "input", "weight")} for name, s in start.items()},
    })

    for name in ("sigmoid", "relu", "control", "adam"):
        r = runs[name]
        out.number(f"{name}_final_loss", float(np.median(r["loss"][:, -SMOOTH:].mean(axis=1))), digits=2)
    for name in ("sigmoid", "relu", "per_layer", "adam"):
        out.number(f"{name}_accuracy_pct", round(100 * float(np.median(runs[name]["accuracy"])), 1))
    out.number("adam_best_accuracy_pct", round(100 * float(runs["adam"]["accuracy"].max()), 1))
    for name in ("sigmoid", "relu"):
        first = runs[name]["grad_norm"][:, :SMOOTH, :DEPTH].mean(axis=1)
        out.number(f"{name}_speed_ratio", float(np.median(first[:, 0] / first[:, -1])), digits=2)
    for name in ("sigmoid", "relu", "per_layer", "adam"):
        change = runs[name]["weight_change"][:, -1, :DEPTH]
        out.number(f"{name}_change_first", float(np.median(change[:, 0])), digits=2)
        if name in ("sigmoid", "relu"):
            out.number(f"{name}_change_last", float(np.median(change[:, -1])), digits=2)
    out.number("sigmoid_spread_first", float(np.median(start["sigmoid"]["spread"][:, 0])), digits=2)
    out.number("sigmoid_spread_last", float(np.median(start["sigmoid"]["spread"][:, -1])), digits=2)
    for name, keys in (("sigmoid", ("signal", "weight")), ("relu", ("signal", "input", "weight"))):
        for key in keys:  # at the start: layer 1 over layer 10
            out.number(f"{name}_{key}_first_over_last", float(np.median(start[name][key][:, 0] / start[name][key][:, -1])),
                       digits=2)
    control = runs["control"]["grad_norm"][:, :SMOOTH, :DEPTH].mean(axis=1)
    out.number("control_speed_ratio", float(np.median(control[:, 0] / control[:, -1])), digits=2)
    # Per-layer rates are fixed at the start; the first layer's gradient does not stay put.
    first = runs["per_layer"]["grad_norm"][:, :, 0]
    scales = per_layer_scales(start["sigmoid"]["weight_all"])
    out.number("per_layer_first_rate", LR * float(np.median(scales[:, 0])), digits=2)
    out.number("per_layer_first_grad_growth", float(np.median(first.max(axis=1) / first[:, 0])), digits=2)
    # Adam divides by sqrt(v) + eps: a typical first-layer gradient entry against eps.
    entries = 64 * WIDTH
    out.number("first_layer_grad_entry", float(np.median(start["sigmoid"]["weight_all"][:, 0])) / np.sqrt(entries), digits=2)
    out.number("adam_eps", training.TrainConfig(1, 1, 1.0).adam_eps)
    for key, value in {"depth": DEPTH, "width": WIDTH, "steps": STEPS, "batch": BATCH, "lr": LR,
                       "seeds": len(SEEDS), "control_lr": CONTROL_LR, "adam_lr": ADAM_LR,
                       "epochs": round(STEPS * BATCH / data.digits()[0].shape[0]), "smooth": SMOOTH,
                       "control_lr_ratio": round(LR / CONTROL_LR)}.items():
        out.number(key, value)
