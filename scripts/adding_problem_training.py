"""The adding problem: an LSTM learns it, a vanilla RNN of the same size does not.

Each sequence holds random numbers and two markers; the target is the sum of the two
marked numbers, one of which sits in the first half of the sequence. Always answering
1 (the mean) gives a mean squared error of 1/6; adding up the means of the two halves,
without looking at the markers, gives 0.15 (data.adding_problem_marker_blind_mse). Below
that, the network uses the markers, and must carry the first one across many steps.

Second figure: what training changed in the LSTM. On the first 256 training sequences, the
gradient of the loss (read at the last step) with respect to the cell state c_t of every
earlier step, relative to the last step's, before and after training. And the forget
gate, averaged over sequences and steps for every unit: the gate that decides how much of
the cell state survives each step.
"""

import jax
import jax.numpy as jnp
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
PROBE_SEQUENCES = 256  # fresh sequences on which the gradient through time is measured
OPEN_GATE = 0.9  # a forget gate above this keeps 90 % or more of the cell state per step


def config(kind) -> recurrent.RecurrentConfig:
    return recurrent.RecurrentConfig(kind=kind, input_dim=2, hidden=HIDDEN, output_dim=1)


# --8<-- [start:adding_problem_training]
def train(kind, xs, ys):
    """(MSE per step (seeds, steps), final parameters with a leading seed axis)."""
    cfg = config(kind)

    def loss_fn(params, xb, yb):  # batches arrive example-first; the models want time-first
        return losses.mean_squared_error(recurrent.forward(params, cfg, xb.transpose(1, 0, 2))[0], yb)

    tc = training.TrainConfig(STEPS, BATCH, RATES[kind], MOMENTUM)
    h = training.sgd_train(lambda k: recurrent.init_params(k, cfg), loss_fn, recurrent.layer_norms,
                           xs.transpose(1, 0, 2), ys, tc, SEEDS)
    return 2 * np.asarray(h["loss"]), (h["start_params"], h["params"])  # the library's loss is half the MSE
# --8<-- [end:adding_problem_training]


def before_and_after(params, xs, ys) -> dict:
    """The LSTM's cell-state gradient through time (relative to the last step) and forget gates.

    `params` is (start, trained), each with a leading seed axis. Returns arrays shaped
    (2, seeds, ...), index 0 for the start and 1 after training, measured on the first
    PROBE_SEQUENCES training sequences.
    """
    cfg = config("lstm")
    xs, ys = xs[:, :PROBE_SEQUENCES], ys[:PROBE_SEQUENCES]  # time first
    both = jax.tree.map(lambda a, b: jnp.concatenate([a, b]), *params)

    def one(params):
        g = recurrent.hidden_state_gradients(params, cfg, xs, ys, with_trace=True)
        return {"signal": g["c"] / g["c"][-1], "forget": g["trace"]["f"].mean(axis=(0, 1))}  # forget: per unit

    result = jax.jit(jax.vmap(one))(both)
    return {k: np.asarray(v).reshape(2, len(SEEDS), *v.shape[1:]) for k, v in result.items()}


def plot_before_and_after(change):
    fig, (ax_sig, ax_gate) = style.figure(2, 1)
    back = np.arange(LENGTH)[::-1]  # steps before the last one
    colour = style.OKABE_ITO["blue"]
    style.band(ax_sig, back, change["signal"][0], style.OKABE_ITO["sky_blue"], "LSTM, cell state $c_t$, at the start",
               ":", log=True)
    style.band(ax_sig, back, change["signal"][1], colour, "LSTM, cell state $c_t$, trained", "-", log=True)
    ax_sig.set_xticks(range(0, LENGTH, 5))
    ax_sig.set(yscale="log", xlabel="steps back from the last one", ylabel="signal / last step's",
               title="Gradient through time, before and after training")
    ax_sig.legend(loc="lower left", fontsize=9)
    bins = np.linspace(0, 1, 21)
    gates = change["forget"]
    ax_gate.hist(gates[0].ravel(), bins=bins, color=style.OKABE_ITO["sky_blue"], alpha=0.7, label="at the start")
    ax_gate.hist(gates[1].ravel(), bins=bins, histtype="step", linewidth=2.2, color=colour,
                 label="trained")
    ax_gate.set(xlabel="forget gate $f_t$, averaged over sequences and steps", ylabel="LSTM units",
                title=f"Forget gates of the {HIDDEN} units × {len(SEEDS)} seeds")
    ax_gate.legend(loc="upper left")
    return fig


def build(out):
    xs, ys = data.adding_problem(jax.random.PRNGKey(0), EXAMPLES, LENGTH)
    trained = {kind: train(kind, xs, ys) for kind in ("rnn", "lstm")}
    mse = {kind: m for kind, (m, _) in trained.items()}
    change = before_and_after(trained["lstm"][1], xs, ys)
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
    out.figure("adding_problem_training_gradients", plot_before_and_after(change))

    out.data("adding_problem_training", {"baseline": BASELINE, "seeds": list(SEEDS),
                                         **{k: v.tolist() for k, v in mse.items()},
                                         **{f"final_{k}": v.tolist() for k, v in final.items()},
                                         "lstm_signal_start": change["signal"][0].tolist(),
                                         "lstm_signal_trained": change["signal"][1].tolist(),
                                         "forget_start": change["forget"][0].tolist(),
                                         "forget_trained": change["forget"][1].tolist()})
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
    out.number("marker_blind", data.adding_problem_marker_blind_mse(LENGTH), digits=2)
    out.number("lstm_final_max", float(final["lstm"].max()), digits=2)
    out.number("probe_sequences", PROBE_SEQUENCES)
    out.number("first_step_back", LENGTH - 1)
    start, trained = change["signal"][0][:, 0], change["signal"][1][:, 0]  # first step over the last
    out.number("lstm_first_step_start", float(np.median(start)), digits=2)
    out.number("lstm_first_step_trained", float(np.median(trained)), digits=2)
    out.number("lstm_first_step_trained_min", float(trained.min()), digits=2)
    out.number("lstm_first_step_trained_max", float(trained.max()), digits=2)
    gates = change["forget"]
    out.number("forget_start_mean", float(gates[0].mean()), digits=2)
    out.number("forget_trained_max", float(gates[1].max()), digits=2)
    out.number("open_gate", OPEN_GATE)
    out.number("open_units_start", int((gates[0] > OPEN_GATE).sum()))
    out.number("open_units_trained", int((gates[1] > OPEN_GATE).sum()))
    out.number("units", int(gates[1].size))  # over every seed's network
    out.number("hidden", HIDDEN)
    out.number("networks", len(SEEDS))
