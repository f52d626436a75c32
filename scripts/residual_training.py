"""Training curves on the digits: a shallow plain network, a deep plain one, a deep residual one.

The degradation problem (He et al. 2015): the deep plain network trains WORSE than the
shallow one (higher training loss, so not overfitting), although it could in principle
copy the shallow one and set its extra layers to the identity. With identity shortcuts
the same depth trains. ReLU, He init; the residual branches are scaled by BRANCH_SCALE so
the forward signal does not grow with depth (real ResNets use batch norm for that).

Second figure: is the deep plain network's failure a vanishing gradient? The error signal
at every layer of the two deep networks, on the first 256 digits, at the start and after training,
relative to the last hidden layer's. He et al. report that their (batch-normalized)
plain networks kept healthy gradients; ours start healthy too, and then collapse.

All three train in one compiled function: the packed networks
(`vanishing.packed`, tested equal to the library's MLP) put the shallow and the deep
network in one lane, and vmap runs a plain and a residual lane for every seed (the
residual shallow network comes along unused).
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, losses, networks, packed, style, training
from vanishing.outputs import markdown_table

SHALLOW, DEEP, WIDTH = 3, 30, 32
# With a scale of 1 every residual layer adds a unit-size term and the deep network's first
# loss is far too large; 0.1 keeps it near the scale of a shallow network.
BRANCH_SCALE = networks.RESIDUAL_BRANCH_SCALE
TRAIN = training.TrainConfig(steps=300, batch_size=64, learning_rate=0.05, momentum=0.9)
SEEDS = range(4)
SMOOTH = 20  # steps per averaging window of the plotted loss
MODELS = (("plain", SHALLOW, False), ("plain", DEEP, False), ("residual", DEEP, True))
SIGNAL_EXAMPLES = 256  # digits on which the per-layer error signal is measured
GUESSING_MARGIN = 0.01  # a final loss within this of ln 10 counts as "at the loss of guessing"


# --8<-- [start:residual_training]
def train_all(x, y):
    """Loss per step (residual, seeds, steps, nets) and final loss and accuracy on all digits."""
    layout = packed.Layout((SHALLOW, DEEP))
    relu, he = packed.ACTIVATIONS.index("relu"), packed.INITS.index("he")

    def one(residual, seed_key, batches):
        c = packed.Choice(jnp.asarray(relu), jnp.asarray(he), residual, jnp.asarray(0.0), BRANCH_SCALE)
        draws = packed.standard_draws(seed_key, x.shape[1], WIDTH, 10, DEEP)
        start = packed.init_params(draws, c.init, layout)
        result = packed.train(start, c, x, y, batches, TRAIN.learning_rate, layout, TRAIN.momentum)
        logits = packed.forward(result["params"], c, x, layout)
        per_net = jax.vmap(lambda lg: (losses.cross_entropy(lg, y), training.accuracy(lg, y)))(logits)
        both = jax.tree.map(lambda a, b: jnp.stack([a, b]), start, result["params"])
        probe_x, probe_y = x[:SIGNAL_EXAMPLES], y[:SIGNAL_EXAMPLES]
        signal = jax.vmap(lambda p: packed.layer_gradients(p, c, probe_x, probe_y, layout)["hidden_grad_rms"])(both)
        return result["loss"], *per_net, signal

    keys = jnp.stack([training.seed_keys(s)[0] for s in SEEDS])
    batches = jnp.stack([packed.batches_for_seed(s, x.shape[0], TRAIN.batch_size, TRAIN.steps) for s in SEEDS])
    per_seed = jax.vmap(one, in_axes=(None, 0, 0))
    run = jax.jit(jax.vmap(per_seed, in_axes=(0, None, None)))
    return [np.asarray(a) for a in run(jnp.array([0.0, 1.0]), keys, batches)]


def train_models(x, y) -> tuple[dict, dict]:
    """{"plain_3": (loss per step (seeds, steps), final loss (seeds,), accuracy (seeds,)), ...}, and
    {"plain" | "residual": the deep network's signal per layer, (start/trained, seeds, layers)}."""
    history, full_loss, acc, signal = train_all(x, y)
    res = {}
    for kind, depth, residual in MODELS:
        r, j = int(residual), (SHALLOW, DEEP).index(depth)
        res[f"{kind}_{depth}"] = (history[r, :, :, j], full_loss[r, :, j], acc[r, :, j])
    layout = packed.Layout((SHALLOW, DEEP))
    deep = {kind: layout.per_network(signal[r])[1].transpose(1, 0, 2) for r, kind in enumerate(("plain", "residual"))}
    return res, deep
# --8<-- [end:residual_training]


def plot_deep_signal(deep: dict):
    """The deep networks' signal per layer, relative to the last hidden layer, before and after training."""
    fig, ax = style.figure()
    layers = np.arange(1, DEEP + 1)
    for kind, colour in (("plain", style.OKABE_ITO["vermillion"]), ("residual", style.OKABE_ITO["blue"])):
        for i, (when, ls) in enumerate((("at the start", ":"), ("after training", "-"))):
            relative = deep[kind][i] / deep[kind][i][:, -1:]
            style.band(ax, layers, relative, colour, f"{kind}, {DEEP} layers, {when}", ls, log=True)
    ax.set(yscale="log", xlabel="hidden layer $l$ (1 = nearest the input)", xlim=(1, DEEP),
           ylabel="signal / last layer's", title="Error signal per layer, before and after training")
    ax.legend(loc="lower right", fontsize=9)
    return fig


def build(out):
    x, y = data.digits()
    res, deep = train_models(x, y)
    steps = np.arange(TRAIN.steps).reshape(-1, SMOOTH).mean(axis=1) + 0.5

    fig, ax = style.figure()
    colours = (style.OKABE_ITO["black"], style.OKABE_ITO["vermillion"], style.OKABE_ITO["blue"])
    for (name, (loss, _, _)), colour, ls in zip(res.items(), colours, (":", "-", "--")):
        kind, depth = name.split("_")
        smooth = loss.reshape(loss.shape[0], -1, SMOOTH).mean(axis=2)
        style.band(ax, steps, smooth, colour, f"{kind}, {depth} layers", ls)
    ax.set(yscale="log", xlabel="SGD step", ylabel="training loss (cross-entropy)",
           title="Training on the digits")
    ax.legend(loc="lower left")
    out.figure("residual_training", fig)
    out.figure("residual_training_gradients", plot_deep_signal(deep))

    out.data("residual_training", {
        **{name: {"loss": r[0].tolist(), "final_loss": r[1].tolist(), "accuracy": r[2].tolist()}
           for name, r in res.items()},
        "deep_signal": {kind: {"start": s[0].tolist(), "trained": s[1].tolist()} for kind, s in deep.items()}})
    rows = []
    for name, (_, full, acc) in res.items():
        kind, depth = name.split("_")
        rows.append([kind, depth, f"{np.median(full):.3f} ({full.min():.3f} to {full.max():.3f})",
                     f"{100 * np.median(acc):.1f} % ({100 * acc.min():.1f} to {100 * acc.max():.1f})"])
    out.table("residual_training_results", markdown_table(
        ["network", "layers", "final training loss: median (min to max)", "training accuracy"], rows, "lrrr"))
    out.table("residual_training_setup", markdown_table(
        ["width", "activation, init", "residual branch scale", "data", "optimizer", "steps", "batch", "seeds"],
        [[WIDTH, "ReLU, He", BRANCH_SCALE, f"all {len(x):,} digits",
          f"SGD, learning rate {TRAIN.learning_rate}, momentum {TRAIN.momentum}", TRAIN.steps,
          TRAIN.batch_size, len(SEEDS)]], "rllllrrr"))
    out.number("shallow", SHALLOW)
    out.number("deep", DEEP)
    out.number("branch_scale", BRANCH_SCALE)
    out.number("digits", len(x))
    out.number("steps", TRAIN.steps)
    out.number("learning_rate", TRAIN.learning_rate)
    for name, (_, full, acc) in res.items():
        out.number(f"acc_{name}", round(100 * float(np.median(acc)), 1))
    for when, i in (("start", 0), ("trained", 1)):  # first layer's signal over the last hidden layer's
        ratio = deep["plain"][i][:, 0] / deep["plain"][i][:, -1]
        out.number(f"plain_signal_{when}", float(np.median(ratio)), digits=2)
        out.number(f"plain_signal_{when}_min", float(ratio.min()), digits=2)
        out.number(f"plain_signal_{when}_max", float(ratio.max()), digits=2)
    trained = deep["residual"][1]
    out.number("residual_signal_trained", float(np.median(trained[:, 0] / trained[:, -1])), digits=2)
    out.number("guessing_margin", GUESSING_MARGIN)
    out.number("plain_seeds_at_guessing", int(np.sum(res[f"plain_{DEEP}"][1] > np.log(10) - GUESSING_MARGIN)))
    out.number("seeds", len(SEEDS))
    out.number("signal_examples", SIGNAL_EXAMPLES)
