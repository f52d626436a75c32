"""Six mystery training runs for the "Diagnose this run" gallery, and their signatures.

Every run trains a multilayer perceptron on the digits with mini-batch SGD for 10 epochs
and records what a practitioner would plot: the loss, every layer's gradient norm
||dL/dW_l|| and how far the weights of a few layers have moved, ||W_l - W_l(0)|| / ||W_l(0)||.
Each run goes wrong in its own way (or not at all):

* vanishing: 10 sigmoid layers, Xavier initialization;
* tiny_lr: 10 ReLU layers, He initialization, a learning rate 500 times too small;
* dead_relu: the same ReLU network with a learning rate 60 times too large (clipped
  gradients keep the loss finite) - the big early steps switch units off for good;
* exploding: 20 tanh layers, Xavier weights multiplied by 5;
* saturating: 4 sigmoid layers with standard-normal weights multiplied by 3;
* healthy: the ReLU network with a good learning rate.

Runs that share a network share one compiled training function (learning rate and
clipping threshold are per run). Lines are medians over the seeds; the numbers below
(checked by tests/test_diagnose.py) are the signatures the page's answers name.
"""

import functools
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import activations, data, losses, networks, style, training

EPOCHS, BATCH = 10, 64
SEEDS = (0, 1, 2)
WIDTH = 32
SMOOTH = 7  # steps per plotted point: a quarter of an epoch
FLAT_SLOPE = 0.01  # a unit whose activation slope is below this passes almost nothing back
GUESS = float(np.log(10))  # the loss of guessing among ten digits
LOSS_RANGE = (0.08, 30.0)  # the same loss axis for every run, so that flat looks flat
MIN_DECADES = 4  # log axes span at least this many factors of 10: no zooming into noise


@dataclass(frozen=True)
class Run:
    name: str  # what went wrong: the page's answer, never shown before it
    activation: str
    init: str
    depth: int
    learning_rate: float
    gain: float = 1.0  # multiplies every initial weight
    clip: float = np.inf  # gradient clipping threshold (global norm)


HEALTHY_LR = 0.05
RUNS = (  # in the page's order: run 1 first
    Run("tiny_lr", "relu", "he", 10, HEALTHY_LR / 500),
    Run("vanishing", "sigmoid", "xavier", 10, 0.5),
    Run("dead_relu", "relu", "he", 10, HEALTHY_LR * 60, clip=2.0),
    Run("healthy", "relu", "he", 10, HEALTHY_LR),
    Run("saturating", "sigmoid", "standard_normal", 4, 0.1, gain=3.0),
    Run("exploding", "tanh", "xavier", 20, 0.01, gain=5.0),
)


def network(run: Run) -> networks.MLPConfig:
    return networks.MLPConfig(run.depth, WIDTH, 64, 10, activation=run.activation, init=run.init)


# --8<-- [start:diagnose_runs]
def train_group(runs: list[Run], x, y, steps: int) -> list[dict]:
    """Train runs that share network and gain in one compiled call (every seed of every run)."""
    net, gain = network(runs[0]), runs[0].gain

    def loss_fn(params, xb, yb):
        return losses.cross_entropy(networks.forward(params, net, xb)[0], yb)

    history = training.sgd_train(
        lambda key: networks.init_params(key, net, gain), loss_fn, networks.layer_weight_norms, x, y,
        training.TrainConfig(steps, BATCH, runs[0].learning_rate), SEEDS * len(runs),
        learning_rates=[r.learning_rate for r in runs for _ in SEEDS],
        clip_thresholds=[r.clip for r in runs for _ in SEEDS],
        # every run of the group starts from the same networks, one per seed
        start_params=jax.tree.map(lambda a: np.concatenate([a] * len(runs)), initial_params(runs[0])))
    n = len(SEEDS)
    return [jax.tree.map(lambda a: np.asarray(a)[i * n:(i + 1) * n], history) for i in range(len(runs))]
# --8<-- [end:diagnose_runs]


@functools.cache  # one compilation per network, shared by its runs, before and after training
def states_function(net: networks.MLPConfig):
    slope = activations.get(net.activation).derivative

    def states(p, x):
        _, trace = networks.forward(p, net, x)
        dead = (trace["h"] <= 0).all(axis=1).mean(axis=1)  # (depth,)
        flat = (slope(trace["z"]) < FLAT_SLOPE).mean()
        return dead, flat

    return jax.jit(jax.vmap(states, in_axes=(0, None)))


def unit_states(run: Run, params: dict, x) -> dict:
    """Per seed: the share of each layer's units that are dead (0 for every digit) and the
    share of hidden pre-activations where the activation's slope is below FLAT_SLOPE."""
    dead, flat = states_function(network(run))(jax.tree.map(jnp.asarray, params), x)
    return {"dead_per_layer": np.asarray(dead), "flat": np.asarray(flat)}


def initial_params(run: Run) -> dict:
    """The networks each seed starts from."""
    return training.start_networks(network(run), SEEDS, run.gain)


def smooth(values: np.ndarray) -> np.ndarray:
    """Mean over consecutive blocks of SMOOTH steps along axis 1 (seeds first)."""
    steps = values.shape[1] - values.shape[1] % SMOOTH
    return values[:, :steps].reshape(values.shape[0], steps // SMOOTH, SMOOTH, *values.shape[2:]).mean(axis=2)


def plot(result: dict, epochs_axis: np.ndarray, title: str):
    fig, (ax_loss, ax_grad, ax_weight) = style.figure(3, 1, sharex=True)
    loss = np.median(smooth(result["loss"]), axis=0)
    ax_loss.plot(epochs_axis, loss, color=style.OKABE_ITO["black"])
    ax_loss.axhline(GUESS, color=style.OKABE_ITO["vermillion"], linestyle=":", linewidth=1.5,
                    label="guessing, $\\ln 10$")
    ax_loss.set(yscale="log", ylabel="training loss", title=title, ylim=LOSS_RANGE)
    ax_loss.legend(loc="upper right", fontsize=10)

    grads = np.median(smooth(result["grad_norm"]), axis=0)  # (points, layers): hidden layers, then read-out
    hidden = grads.shape[1] - 1
    colours = matplotlib_colours(hidden)
    for layer in range(hidden):
        label = "layer 1 (input side)" if layer == 0 else (f"layer {hidden}" if layer == hidden - 1 else None)
        ax_grad.plot(epochs_axis, np.where(grads[:, layer] > 0, grads[:, layer], np.nan), color=colours[layer],
                     linewidth=1.6, label=label)
    ax_grad.plot(epochs_axis, np.where(grads[:, -1] > 0, grads[:, -1], np.nan), color=style.OKABE_ITO["black"],
                 linestyle="--", linewidth=1.6, label="read-out")
    if (grads[:, :-1] == 0).any():
        ax_grad.annotate("gaps: gradient exactly 0", xy=(0.98, 0.92), xycoords="axes fraction", ha="right",
                         va="top", fontsize=10)
    ax_grad.set(yscale="log", ylabel="gradient norm\n$\\|\\partial \\mathcal{L}/\\partial W_l\\|$")
    widen(ax_grad, grads, legend_room=1.2)
    ax_grad.legend(loc="lower left", fontsize=10, ncols=3)

    change = np.median(smooth(result["weight_change"]), axis=0)
    for layer, ls in ((0, "-"), (hidden // 2, "--"), (hidden - 1, ":")):
        ax_weight.plot(epochs_axis, change[:, layer], color=colours[layer], linestyle=ls, label=f"layer {layer + 1}")
    ax_weight.set(yscale="log", xlabel="epoch", ylabel="weights moved\n(relative to their size)")
    widen(ax_weight, change[:, [0, hidden // 2, hidden - 1]])
    ax_weight.legend(loc="lower right", fontsize=10)
    return fig


def widen(ax, values, legend_room: float = 0.0) -> None:
    """Show at least MIN_DECADES decades around the data, centred on it (log axis), plus
    `legend_room` decades below it for the legend."""
    positive = np.asarray(values)[np.asarray(values) > 0]
    low, high = np.log10(positive.min()), np.log10(positive.max())
    spare = max(0.0, MIN_DECADES - (high - low)) / 2
    ax.set_ylim(10 ** (low - spare - 0.1 - legend_room), 10 ** (high + spare + 0.1))


def matplotlib_colours(n: int) -> list:
    import matplotlib

    return [matplotlib.colormaps["viridis"](0.9 * i / max(n - 1, 1)) for i in range(n)]


def summarize(run: Run, result: dict, start: dict, end: dict, per_epoch: int) -> dict:
    """The signature numbers of one run (per seed where the tests check every seed)."""
    grads = result["grad_norm"]
    first_epoch = grads[:, :per_epoch].mean(axis=1)  # (seeds, layers)
    last_epoch = grads[:, -per_epoch:].mean(axis=1)
    loss = result["loss"]
    return {
        "grad_ratio": (first_epoch[:, 0] / first_epoch[:, -2]).tolist(),  # first / last hidden layer
        "hidden_grad_last_epoch_max": last_epoch[:, :-1].max(axis=1).tolist(),
        "start_loss": loss[:, :SMOOTH].mean(axis=1).tolist(),
        "final_loss": loss[:, -per_epoch:].mean(axis=1).tolist(),
        "weight_change_first": result["weight_change"][:, -1, 0].tolist(),
        "weight_change_last": result["weight_change"][:, -1, -2].tolist(),
        "flat_at_start": start["flat"].tolist(),
        "dead_per_layer": end["dead_per_layer"].tolist(),
        "depth": run.depth,
        "learning_rate": run.learning_rate,
    }


def build(out):
    x, y = data.digits()
    per_epoch = x.shape[0] // BATCH
    steps = EPOCHS * per_epoch
    epochs_axis = (np.arange(steps // SMOOTH) + 0.5) * SMOOTH / per_epoch

    groups: dict[tuple, list[Run]] = {}
    for run in RUNS:
        groups.setdefault((network(run), run.gain), []).append(run)
    results = {}
    for runs in groups.values():
        results.update({run.name: r for run, r in zip(runs, train_group(runs, x, y, steps))})

    summary = {}
    for number, run in enumerate(RUNS, 1):
        result = results[run.name]
        start = unit_states(run, initial_params(run), x)
        end = unit_states(run, result["params"], x)
        summary[run.name] = {"run": number, **summarize(run, result, start, end, per_epoch)}
        out.figure(f"diagnose_runs_{number}", plot(result, epochs_axis, f"Run {number}"))
    out.data("diagnose_runs", {"seeds": len(SEEDS), "epochs": EPOCHS, "guess": GUESS, "runs": summary})

    def med(name, key):
        return float(np.median(summary[name][key]))

    out.number("epochs", EPOCHS)
    out.number("seeds", len(SEEDS))
    out.number("width", WIDTH)
    out.number("batch", BATCH)
    out.number("digits", len(x))
    out.number("flat_slope", FLAT_SLOPE)
    for run in RUNS:
        n = run.name
        out.number(f"{n}_depth", run.depth)
        out.number(f"{n}_lr", run.learning_rate)
        out.number(f"{n}_grad_ratio", med(n, "grad_ratio"), digits=2)
        out.number(f"{n}_start_loss", med(n, "start_loss"), digits=3)
        out.number(f"{n}_final_loss", med(n, "final_loss"), digits=3)
    out.number("tiny_lr_factor", round(HEALTHY_LR / RUNS[0].learning_rate))
    out.number("tiny_lr_weight_change", med("tiny_lr", "weight_change_first"), digits=2)
    out.number("vanishing_weight_change_first", med("vanishing", "weight_change_first"), digits=2)
    out.number("vanishing_weight_change_last", med("vanishing", "weight_change_last"), digits=2)
    out.number("dead_relu_factor", round(RUNS[2].learning_rate / HEALTHY_LR))
    out.number("dead_relu_clip", RUNS[2].clip)
    out.number("dead_relu_dead_pct", round(100 * float(np.median(np.mean(summary["dead_relu"]["dead_per_layer"], axis=1)))))
    out.number("dead_relu_last_layer_dead_pct",
               round(100 * float(np.median(np.asarray(summary["dead_relu"]["dead_per_layer"])[:, -1]))))
    out.number("saturating_gain", RUNS[4].gain)
    out.number("saturating_flat_pct", round(100 * med("saturating", "flat_at_start")))
    out.number("saturating_weight_change_first", med("saturating", "weight_change_first"), digits=2)
    out.number("exploding_gain", RUNS[5].gain)
    out.number("exploding_flat_pct", round(100 * med("exploding", "flat_at_start")))
    out.number("exploding_weight_change_first", med("exploding", "weight_change_first"), digits=2)
    out.number("exploding_weight_change_last", med("exploding", "weight_change_last"), digits=2)
