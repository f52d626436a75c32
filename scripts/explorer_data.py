"""What the explorer needs to train networks in the reader's browser, and what checks it.

The explorer (docs/explorer.md) trains networks live, in JavaScript
(docs/assets/javascripts/explorer/engine.js). This script writes:

* `data/explorer_data_digits.json`: the digits, compactly (pixels 0..16 as the letters a..q);
  the browser standardizes them as `data.digits()` does.
* `data/explorer_data.json`: the explorer's starting configuration and its presets, each with
  the outcome the page states; tests/test_explorer.py runs every preset in the browser's
  engine for several seeds and checks that outcome.
* `data/explorer_data_oracle.json`: the library's answers for the engine to match
  (tests/test_explorer.py): for several networks (residual and batch norm included) the
  weights, a batch, the loss, every layer's error signal and weight gradient, and the
  parameters after a few steps of SGD with momentum; the spread of every layer's signal at
  initialization over many seeds; and the library's own runs of the first two presets.
* `explorer_data_preview.svg`: those two runs, for readers without JavaScript.

Everything is the library's own network, gradients and update (`networks.hidden_layer`,
`gradients.loss_and_gradients`, `training.momentum_step`, `training.train_mlp`).
"""

import math
from dataclasses import dataclass, field

import jax
import numpy as np

from vanishing import data, gradients, networks, style, training

GUESS = math.log(10)  # the loss of answering 1/10 for every digit

# The explorer's starting point, in the engine's words (docs/assets/javascripts/explorer/state.js).
DEFAULTS = {"activation": "sigmoid", "init": "xavier", "gain": 1.0, "depth": 10, "width": 32,
            "residual": False, "batchnorm": False, "branchScale": networks.RESIDUAL_BRANCH_SCALE,
            "learningRate": 0.01, "momentum": 0.9, "batchSize": 32, "seed": 0}

# What the presets claim, and how a run is judged (the engine reports the same quantities).
HORIZON = 300  # steps a preset runs
WINDOW = 10  # the reported loss is the mean of the last WINDOW mini-batch losses
STALL_BAND = 0.05  # "stalls": never more than 5% below guessing, and within 5% of it at the end
LEARN_LEVEL = 0.5  # "learns": below half of guessing within HORIZON steps
DIVERGE_STEPS = 20  # "diverges": the loss is infinite or not a number within 20 steps
EXPLODE_RATIO = 100  # ... after layer 1 received over 100 times the last layer's signal


@dataclass(frozen=True)
class Preset:
    name: str
    label: str  # the button
    changes: dict = field(default_factory=dict)  # what differs from DEFAULTS
    outcome: str = "learns"  # "stalls", "learns" or "diverges"

    @property
    def config(self) -> dict:
        return {**DEFAULTS, **self.changes}


DEEP = 20  # standard-normal sigmoid networks this deep stall without batch norm
PRESETS = (
    Preset("sigmoid", "Deep sigmoid network", {}, "stalls"),
    Preset("relu", "… with ReLU + He", {"activation": "relu", "init": "he"}),
    Preset("residual", "… with residual connections", {"residual": True}),
    Preset("standard_normal", f"{DEEP} layers, standard-normal weights", {"depth": DEEP, "init": "standard_normal"},
           "stalls"),
    Preset("batchnorm", "… with batch norm", {"depth": DEEP, "init": "standard_normal", "batchnorm": True}),
    Preset("exploding", "ReLU, weights twice too large", {"activation": "relu", "init": "he", "gain": 2.0},
           "diverges"),
)
LIBRARY_RUNS = ("sigmoid", "relu")  # trained by the library too: the preview figure
SEEDS = (0, 1, 2)


def window_means(losses) -> np.ndarray:
    """The reported loss after every full window: mean of losses[t - WINDOW:t], t = WINDOW..len."""
    sums = np.cumsum(np.r_[0.0, np.asarray(losses, dtype=float)])
    return (sums[WINDOW:] - sums[:-WINDOW]) / WINDOW


def judge(losses) -> dict:
    """A run in the presets' terms: the step its loss first became infinite or not a number
    (None if never); the first step whose reported loss is below LEARN_LEVEL of guessing;
    the lowest and the final reported loss, as fractions of guessing."""
    losses = np.asarray(losses, dtype=float)
    bad = np.flatnonzero(~np.isfinite(losses))
    diverged = int(bad[0]) + 1 if bad.size else None
    means = window_means(losses[: bad[0]] if bad.size else losses) / GUESS
    below = np.flatnonzero(means < LEARN_LEVEL)
    return {"diverged_at": diverged, "first_below": int(below[0]) + WINDOW if below.size else None,
            "lowest": float(means.min()) if means.size else None,
            "final": float(means[-1]) if means.size and not bad.size else None}


def holds(outcome: str, run: dict) -> bool:
    """Whether a judged run did what its preset's outcome says."""
    if outcome == "diverges":
        return run["diverged_at"] is not None and run["diverged_at"] <= DIVERGE_STEPS
    if run["diverged_at"] is not None:
        return False
    if outcome == "learns":
        return run["first_below"] is not None and run["first_below"] <= HORIZON
    return run["lowest"] >= 1 - STALL_BAND and abs(run["final"] - 1) <= STALL_BAND


def mlp(config: dict, in_dim: int = 64, out_dim: int = 10) -> networks.MLPConfig:
    """The library's network for an explorer configuration."""
    return networks.MLPConfig(config["depth"], config["width"], in_dim, out_dim, config["activation"],
                              config["init"], config["residual"], config["batchnorm"], config["branchScale"])


# ------------------------------------------------------------------ oracle cases

ORACLE_CASES = (  # small networks: every activation, residual connections and batch norm
    {"activation": "sigmoid", "depth": 8, "width": 5, "init": "standard_normal"},
    {"activation": "tanh", "depth": 3, "width": 5, "residual": True, "branchScale": 0.1},
    {"activation": "relu", "depth": 5, "width": 6, "residual": True, "batchnorm": True, "branchScale": 0.5},
    {"activation": "leaky_relu", "depth": 4, "width": 7, "batchnorm": True},
    {"activation": "gelu", "depth": 3, "width": 6, "residual": True, "branchScale": 1.0},
)
ORACLE_POOL = np.arange(16) * 111  # examples the cases' batches come from
ORACLE_BATCHES = (tuple(range(8)), tuple(range(8, 16)), (3, 5, 7, 9, 11, 13, 15, 1))
ORACLE_RATE, ORACLE_MOMENTUM = 0.1, 0.9


def flat(tree) -> dict:
    """Every array of a parameter tree as one flat row-major list (the engine's layout)."""
    return {name: np.asarray(a).ravel().tolist() for name, a in tree.items()}


def oracle_case(number: int, changes: dict, x, y) -> dict:
    config = {**DEFAULTS, "init": "xavier", **changes}
    cfg = mlp(config)
    params = networks.init_params(jax.random.PRNGKey(100 + number), cfg)
    # Nonzero biases and batch-norm parameters, so that their gradients are checked too.
    params = jax.tree.map(lambda a: np.asarray(a) + 0.1 * np.cos(np.arange(a.size).reshape(a.shape)), params)
    x, y, batches = np.asarray(x), np.asarray(y), [np.array(b) for b in ORACLE_BATCHES]

    backward = jax.jit(lambda p, xb, yb: gradients.loss_and_gradients(p, cfg, xb, yb))
    first = backward(params, x[batches[0]], y[batches[0]])
    measured, grads = gradients.summarize(*first), first[1]
    trained, velocity, losses = params, jax.tree.map(np.zeros_like, params), []
    for idx in batches:
        loss, g, _ = backward(trained, x[idx], y[idx])
        g = jax.tree.map(np.asarray, g)  # the update in NumPy: nothing more to compile
        trained, velocity = training.momentum_step(trained, velocity, g, ORACLE_RATE, ORACLE_MOMENTUM)
        losses.append(loss)
    return {
        "config": {k: config[k] for k in ("activation", "depth", "width", "residual", "batchnorm", "branchScale")},
        "x": np.asarray(x).ravel().tolist(), "y": np.asarray(y).tolist(), "batches": [list(b) for b in ORACLE_BATCHES],
        "params": flat(params), "loss": float(measured["loss"]), "grads": flat(grads),
        "signal": np.asarray(measured["hidden_grad_rms"]).tolist(),
        "weight_grad_norm": np.asarray(measured["weight_grad_norm"]).tolist(),
        "train": {"learning_rate": ORACLE_RATE, "momentum": ORACLE_MOMENTUM, "losses": np.asarray(losses).tolist(),
                  "params": flat(trained)},
    }


# ------------------------------------------------------------------ signal at initialization

BAND_SEEDS = range(256)
BAND_EXAMPLES = 32  # the first 32 digits
BAND_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
BAND_CONFIGS = {  # the first two presets, the exploding one, and one with everything switched on
    "sigmoid": PRESETS[0].config,
    "relu": PRESETS[1].config,
    "exploding": PRESETS[-1].config,
    "gelu_residual_batchnorm": {**DEFAULTS, "activation": "gelu", "gain": 1.5, "depth": 8, "width": 16,
                                "residual": True, "branchScale": 0.5, "batchnorm": True},
}


# --8<-- [start:explorer_data_preview]
def init_band(config: dict, x, y) -> dict:
    """Quantiles over seeds of log10 of every layer's signal at initialization."""
    got = gradients.gradients_at_init(mlp(config), x[:BAND_EXAMPLES], y[:BAND_EXAMPLES], BAND_SEEDS,
                                      gain=config["gain"])
    logs = np.log10(np.asarray(got["hidden_grad_rms"]))  # (seeds, depth)
    return {"config": config, "examples": BAND_EXAMPLES, "seeds": len(BAND_SEEDS),
            "quantiles": list(BAND_QUANTILES), "log10_signal": np.quantile(logs, BAND_QUANTILES, axis=0).tolist()}


def library_run(config: dict, x, y) -> np.ndarray:
    """The library's trainer on a preset: mini-batch losses, (seeds, HORIZON)."""
    train = training.TrainConfig(HORIZON, config["batchSize"], config["learningRate"], config["momentum"])
    return np.asarray(training.train_mlp(mlp(config), train, x, y, SEEDS)["loss"])
# --8<-- [end:explorer_data_preview]


# ------------------------------------------------------------------ outputs

def build(out):
    x, y = data.digits()
    pixels, labels = data.digits_raw()
    out.data("explorer_data_digits", {
        "rows": int(pixels.shape[0]), "cols": int(pixels.shape[1]), "classes": 10,
        "pixels": "".join(chr(97 + int(v)) for v in pixels.ravel()),
        "labels": "".join(str(int(v)) for v in labels),
    })
    claims = {"horizon": HORIZON, "window": WINDOW, "stall_band": STALL_BAND, "learn_level": LEARN_LEVEL,
              "diverge_steps": DIVERGE_STEPS, "explode_ratio": EXPLODE_RATIO, "guess": GUESS}
    out.data("explorer_data", {
        "defaults": DEFAULTS, "claims": claims,
        "presets": [{"name": p.name, "label": p.label, "config": p.config, "outcome": p.outcome} for p in PRESETS],
    }, digits=17)

    pool_x, pool_y = x[ORACLE_POOL], y[ORACLE_POOL]
    bands = {name: init_band(config, x, y) for name, config in BAND_CONFIGS.items()}
    runs = {name: library_run(next(p for p in PRESETS if p.name == name).config, x, y) for name in LIBRARY_RUNS}
    out.data("explorer_data_oracle", {
        "cases": [oracle_case(k, changes, pool_x, pool_y) for k, changes in enumerate(ORACLE_CASES)],
        "init_bands": bands,
        "library_runs": {name: losses.tolist() for name, losses in runs.items()},
    }, digits=17)
    numbers(out, bands, runs)
    preview(out, bands, runs)


def numbers(out, bands, runs):
    """The numbers the explorer page quotes."""
    for key, name in (("depth", "depth"), ("width", "width"), ("batch_size", "batchSize"),
                      ("learning_rate", "learningRate"), ("momentum", "momentum"), ("branch_scale", "branchScale")):
        out.number(key, DEFAULTS[name])
    out.number("deep", DEEP)
    out.number("exploding_gain", PRESETS[-1].config["gain"])
    out.number("horizon", HORIZON)
    out.number("window", WINDOW)
    out.number("stall_percent", round(100 * STALL_BAND))
    out.number("diverge_steps", DIVERGE_STEPS)
    out.number("explode_ratio", EXPLODE_RATIO)
    out.number("guess", GUESS, digits=3)
    out.number("seeds", len(SEEDS))
    out.number("band_seeds", len(BAND_SEEDS))
    for name, losses in runs.items():
        judged = [judge(l) for l in losses]
        outcome = next(p.outcome for p in PRESETS if p.name == name)
        if not all(holds(outcome, j) for j in judged):
            raise ValueError(f"the library's runs of preset {name!r} do not do what the page says ({outcome}): {judged}")
        out.number(f"library_{name}_final", float(np.median([j["final"] for j in judged])) * GUESS, digits=2)
        if name == "relu":
            out.number("library_relu_first_below", int(np.median([j["first_below"] for j in judged])))
        median = np.asarray(bands[name]["log10_signal"])[BAND_QUANTILES.index(0.5)]
        out.number(f"{name}_signal_drop", float(10 ** (median[0] - median[-1])), digits=2)
    median = np.asarray(bands["exploding"]["log10_signal"])[BAND_QUANTILES.index(0.5)]
    out.number("exploding_signal_growth", float(10 ** (median[0] - median[-1])), digits=2)


def preview(out, bands, runs):
    """For readers without JavaScript: the first two presets, per-layer signal and loss."""
    fig, (top, bottom) = style.figure(2, 1)
    labels = {"sigmoid": "sigmoid, Xavier", "relu": "ReLU, He"}
    for name in LIBRARY_RUNS:
        colour = style.ACTIVATION_COLOURS[name]
        q = 10.0 ** np.asarray(bands[name]["log10_signal"])
        layers = np.arange(1, q.shape[1] + 1)
        top.fill_between(layers, q[0], q[-1], color=colour, alpha=0.2, linewidth=0)
        top.plot(layers, q[BAND_QUANTILES.index(0.5)], color=colour, label=labels[name])
        means = np.stack([window_means(l) for l in runs[name]])
        style.band(bottom, np.arange(WINDOW, HORIZON + 1), means, colour, labels[name])
    top.set(yscale="log", xlabel="hidden layer $l$ (1 = nearest the input)",
            ylabel=r"error signal $|\partial \mathcal{L}/\partial h_l|$", title="At initialization")
    top.legend(fontsize="small")
    bottom.axhline(GUESS, color=style.OKABE_ITO["black"], linestyle=":", linewidth=1)
    bottom.annotate(r"guessing: $\ln 10$", xy=(HORIZON * 0.55, GUESS * 1.04), fontsize=10)
    bottom.set(xlabel="SGD step", ylabel=f"training loss (mean of {WINDOW} batches)", ylim=(0, None))
    out.figure("explorer_data_preview", fig)
