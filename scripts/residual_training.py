"""Training curves on the digits: a shallow plain network, a deep plain one, a deep residual one.

The degradation problem (He et al. 2015): the deep plain network trains WORSE than the
shallow one (higher training loss, so not overfitting), although it could in principle
copy the shallow one and set its extra layers to the identity. With identity shortcuts
the same depth trains. ReLU, He init; the residual branches are scaled by BRANCH_SCALE
so the forward signal does not grow with depth (real ResNets use batch norm for that).
"""

import jax
import numpy as np

from vanishing import data, losses, networks, style, training
from vanishing.outputs import markdown_table

SHALLOW, DEEP, WIDTH = 3, 30, 32
BRANCH_SCALE = 0.1
TRAIN = training.TrainConfig(steps=300, batch_size=64, learning_rate=0.05, momentum=0.9)
SEEDS = range(4)
SMOOTH = 20  # steps per averaging window of the plotted loss
MODELS = (("plain", SHALLOW, False), ("plain", DEEP, False), ("residual", DEEP, True))


def train(x, y, depth, residual):
    cfg = networks.MLPConfig(depth, WIDTH, x.shape[1], 10, activation="relu", init="he",
                             residual=residual, branch_scale=BRANCH_SCALE)

    def loss_fn(p, xb, yb):
        return losses.cross_entropy(networks.forward(p, cfg, xb)[0], yb)

    h = training.sgd_train(lambda k: networks.init_params(k, cfg), loss_fn, networks.layer_weight_norms,
                           x, y, TRAIN, SEEDS)

    @jax.jit
    @jax.vmap
    def evaluate(params):  # one compiled pass over all seeds: loss and accuracy on every digit
        logits = networks.forward(params, cfg, x)[0]
        return losses.cross_entropy(logits, y), training.accuracy(logits, y)

    full_loss, acc = evaluate(h["params"])
    return np.asarray(h["loss"]), np.asarray(full_loss), np.asarray(acc)


def build(out):
    x, y = data.digits()
    res = {f"{kind}_{depth}": train(x, y, depth, r) for kind, depth, r in MODELS}
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

    out.data("residual_training", {name: {"loss": r[0].tolist(), "final_loss": r[1].tolist(),
                                          "accuracy": r[2].tolist()} for name, r in res.items()})
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
