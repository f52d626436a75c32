"""The adding problem: an LSTM learns it, a vanilla RNN of the same size does not.

Each sequence holds random numbers and two markers; the target is the sum of the two
marked numbers, one of which sits in the first half of the sequence. Always answering
1 (the mean) gives a mean squared error of 1/6; beating that means the network has
learned to carry information across many steps.
"""

import jax
import numpy as np

from vanishing import data, losses, recurrent, style, training
from vanishing.outputs import markdown_table

LENGTH, HIDDEN, EXAMPLES = 20, 16, 4096
STEPS, BATCH, MOMENTUM = 500, 64, 0.9
RATES = {"rnn": 0.05, "lstm": 0.5}  # each model's best of a small search (0.05, 0.1 / 0.3, 0.5, 1)
SEEDS = range(3)
BASELINE = 1 / 6  # MSE of always predicting 1
LAST = 50  # steps averaged for the "final" error
SMOOTH = 25


# --8<-- [start:adding_problem_training]
def train(kind, xs, ys):
    cfg = recurrent.RecurrentConfig(kind=kind, input_dim=2, hidden=HIDDEN, output_dim=1)

    def loss_fn(params, xb, yb):  # batches arrive example-first; the models want time-first
        return losses.mean_squared_error(recurrent.forward(params, cfg, xb.transpose(1, 0, 2))[0], yb)

    tc = training.TrainConfig(STEPS, BATCH, RATES[kind], MOMENTUM)
    h = training.sgd_train(lambda k: recurrent.init_params(k, cfg), loss_fn, recurrent.layer_norms,
                           xs.transpose(1, 0, 2), ys, tc, SEEDS)
    return 2 * np.asarray(h["loss"])  # the library's loss is half the MSE
# --8<-- [end:adding_problem_training]


def build(out):
    xs, ys = data.adding_problem(jax.random.PRNGKey(0), EXAMPLES, LENGTH)
    mse = {kind: train(kind, xs, ys) for kind in ("rnn", "lstm")}
    final = {kind: m[:, -LAST:].mean(axis=1) for kind, m in mse.items()}

    steps = np.arange(STEPS).reshape(-1, SMOOTH).mean(axis=1) + 0.5
    fig, ax = style.figure()
    for kind, colour, ls, label in (("rnn", style.OKABE_ITO["vermillion"], "-", "vanilla RNN"),
                                    ("lstm", style.OKABE_ITO["blue"], "--", "LSTM")):
        style.band(ax, steps, mse[kind].reshape(len(SEEDS), -1, SMOOTH).mean(axis=2), colour, label, ls)
    ax.axhline(BASELINE, color=style.OKABE_ITO["black"], linestyle=":", linewidth=1.5,
               label="always answer 1 (MSE 1/6)")
    ax.set(yscale="log", xlabel="SGD step", ylabel="mean squared error (training batches)",
           title=f"Adding problem, sequences of {LENGTH} steps")
    ax.legend(loc="lower left")
    out.figure("adding_problem_training", fig)

    out.data("adding_problem_training", {"baseline": BASELINE, "seeds": list(SEEDS),
                                         **{k: v.tolist() for k, v in mse.items()},
                                         **{f"final_{k}": v.tolist() for k, v in final.items()}})
    rows = [[seed, f"{final['rnn'][i]:.3f}", f"{final['lstm'][i]:.4f}"] for i, seed in enumerate(SEEDS)]
    out.table("adding_problem_training_results", markdown_table(
        ["seed", f"vanilla RNN: MSE, last {LAST} steps", f"LSTM: MSE, last {LAST} steps"], rows, "rrr"))
    out.table("adding_problem_training_setup", markdown_table(
        ["sequence length", "hidden units", "training set", "optimizer", "steps", "batch", "seeds"],
        [[LENGTH, HIDDEN, f"{EXAMPLES} sequences",
          f"SGD, momentum {MOMENTUM}; learning rate {RATES['rnn']} (RNN), {RATES['lstm']} (LSTM)",
          STEPS, BATCH, len(SEEDS)]], "rrllrrr"))
    out.number("length", LENGTH)
    out.number("last", LAST)
    out.number("rnn_final_median", float(np.median(final["rnn"])), digits=3)  # as in the results table
    out.number("lstm_final_median", float(np.median(final["lstm"])), digits=2)
    out.number("rnn_final_min", float(final["rnn"].min()), digits=3)  # as in the results table
    out.number("lstm_final_max", float(final["lstm"].max()), digits=2)
