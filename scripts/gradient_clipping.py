"""Gradient clipping against exploding gradients: the same runs with and without it.

A 20-layer ReLU network whose weights start 1.3 times too large (He variance times
1.69): the forward signal and the gradient grow by that factor squared per layer, and
the first gradients are thousands of times too big. Plain SGD jumps to infinity
(the loss becomes NaN); the same SGD with the gradient clipped to norm 1 trains.
"""

import math

import numpy as np

from vanishing import data, losses, networks, style, training
from vanishing.outputs import markdown_table

DEPTH, WIDTH, GAIN = 20, 32, 1.3
TRAIN = training.TrainConfig(steps=150, batch_size=64, learning_rate=0.02, momentum=0.9)
THRESHOLD = 1.0
SEEDS = range(4)
OFF_CHART = 1e15  # larger values (on the way to overflow) end the plotted line
GUESSING = math.log(10)  # the loss of answering 1/10 for every digit


def build(out):
    # --8<-- [start:gradient_clipping]
    x, y = data.digits()
    cfg = networks.MLPConfig(DEPTH, WIDTH, x.shape[1], 10, activation="relu", init="he")

    def loss_fn(p, xb, yb):
        return losses.cross_entropy(networks.forward(p, cfg, xb)[0], yb)

    seeds = list(SEEDS) * 2
    thresholds = [np.inf] * len(SEEDS) + [THRESHOLD] * len(SEEDS)
    h = training.sgd_train(lambda k: networks.init_params(k, cfg, GAIN), loss_fn, networks.layer_weight_norms,
                           x, y, TRAIN, seeds, clip_thresholds=thresholds)
    loss = np.asarray(h["loss"]).reshape(2, len(SEEDS), -1)
    norm = np.asarray(h["global_grad_norm"]).reshape(2, len(SEEDS), -1)
    # --8<-- [end:gradient_clipping]
    steps = np.arange(1, TRAIN.steps + 1)

    fig, (ax_l, ax_g) = style.figure(2, 1, sharex=True)
    for i, (label, colour, ls) in enumerate((("no clipping", style.OKABE_ITO["vermillion"], "-"),
                                             (f"clipped to norm {THRESHOLD:g}", style.OKABE_ITO["blue"], "--"))):
        finite = np.where(np.isfinite(loss[i]) & (loss[i] < OFF_CHART), loss[i], np.nan)
        for run in finite:  # every run drawn: the line ends where training blew up
            ax_l.plot(steps, run, color=colour, linestyle=ls, linewidth=1.2, alpha=0.8)
        ax_l.plot([], [], color=colour, linestyle=ls, label=label)
        gn = np.where(np.isfinite(norm[i]) & (norm[i] < OFF_CHART), norm[i], np.nan)
        for run in gn:
            ax_g.plot(steps, run, color=colour, linestyle=ls, linewidth=1.2, alpha=0.8)
    ax_l.axhline(GUESSING, color=style.OKABE_ITO["black"], linestyle=":", linewidth=1.2, label="guessing: ln 10")
    ax_g.axhline(THRESHOLD, color=style.OKABE_ITO["black"], linestyle=":", linewidth=1.2,
                 label=f"threshold $c = {THRESHOLD:g}$")
    ax_l.set(yscale="log", ylabel="training loss", title=f"{DEPTH} ReLU layers, weights {GAIN:g}x too large")
    ax_g.set(yscale="log", ylabel="gradient norm $\\|g\\|$ (before clipping)", xlabel="SGD step")
    ax_l.legend(loc="upper right")
    ax_g.legend(loc="upper right")
    out.figure("gradient_clipping", fig)

    exploded = ~np.all(np.isfinite(loss) & (loss < OFF_CHART), axis=2)  # (clipping off/on, seeds)
    blew_up = exploded.sum(axis=1).tolist()
    final = loss[1][:, -20:].mean(axis=1)
    out.data("gradient_clipping", {"blew_up": exploded.tolist(),
                                   "loss": np.nan_to_num(loss, nan=-1.0, posinf=-1.0).tolist(),
                                   "grad_norm": np.nan_to_num(norm, nan=-1.0, posinf=-1.0).tolist()})
    out.table("gradient_clipping_setup", markdown_table(
        ["network", "data", "optimizer", "steps", "batch", "clipping threshold", "seeds"],
        [[f"{DEPTH} layers x {WIDTH} units, ReLU, He weights x {GAIN:g}", f"all {len(x):,} digits",
          f"SGD, learning rate {TRAIN.learning_rate}, momentum {TRAIN.momentum}", TRAIN.steps,
          TRAIN.batch_size, THRESHOLD, len(SEEDS)]], "llllrrr"))
    out.number("seeds", len(SEEDS))
    out.number("depth", DEPTH)
    out.number("gain", GAIN)
    out.number("threshold", THRESHOLD)
    out.number("off_chart", OFF_CHART)
    out.number("blew_up_plain", blew_up[0])
    out.number("blew_up_clipped", blew_up[1])
    out.number("first_grad_norm_median", float(np.median(norm[0][:, 0])), digits=2)
    out.number("clipped_final_loss", float(np.median(final)), digits=2)
    out.number("clipped_first_loss", float(np.median(loss[1][:, 0])), digits=2)
    out.number("guessing_loss", GUESSING, digits=2)
