"""The data behind the interactive explorer: per-layer gradients and loss curves for a grid.

Every combination of activation (5), initialization (3), depth (6), residual connections
(on/off) and batch norm (on/off), 360 networks, several seeds each, on the digits data.
For each we record the error signal at every hidden layer of the freshly initialized
network (RMS over the first mini-batch's examples of ||dloss_i/dh_l||) and, for the depths
in TRAIN_DEPTHS, the mini-batch loss during plain SGD.

All of it runs through ONE compiled function (see `vanishing.explorer`): `lax.map` over
(activation, depth) pairs, so the activation and the depth are ordinary values inside the
loop body and layers beyond the depth are skipped by `lax.cond`, not computed and thrown
away; `vmap` over initialization, residual, batch norm and seeds. Deeper networks whose
training would blow the build's time budget run a single step (the gradient at
initialization only); the page says which depths have loss curves.

Output: figures/data/explorer.json (log10 values, 3 significant digits) read by
docs/assets/javascripts/explorer.js, and a static preview figure for readers without
JavaScript.
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from vanishing import activations, data, explorer, style

DEPTHS = (2, 5, 10, 20, 50, 100)
TRAIN_DEPTHS = (2, 5, 10)  # loss curves for these; deeper ones: gradient at init only
WIDTH = 16
BATCH = 32
STEPS = 40
LEARNING_RATE = 0.1
SEEDS = (0, 1, 2)
CURVE_EVERY = 2  # keep every 2nd step of the loss curve (and the last)
INIT_LABELS = {"standard_normal": "standard normal", "xavier": "Xavier", "he": "He"}


def key(activation, init, depth, residual, batchnorm) -> str:
    """The JSON key of one configuration, e.g. 'relu-he-50-1-0' (the page's URL uses it too)."""
    return f"{activation}-{init}-{depth}-{int(residual)}-{int(batchnorm)}"


def gradient_grid(x, y, draws, batches):
    """Per-layer signal at initialization for every configuration: (pairs, inner, seeds, MAX_DEPTH).

    `lax.map` over (activation, depth) pairs keeps both unbatched inside the loop body, so
    `lax.switch` runs one activation and `lax.cond` skips the layers beyond the depth.
    """
    pairs = [(a, d) for a in range(len(explorer.ACTIVATIONS)) for d in DEPTHS]
    outer = tuple(jnp.array(col) for col in zip(*pairs))

    def one(a, d, i, r, b, draw, batch_idx):
        s = explorer.Setting(a, i, d, r, b)
        first_rms, _ = explorer.train_record(explorer.init_params(draw, i), s, x, y, batch_idx[:1], LEARNING_RATE)
        return first_rms

    per_seed = jax.vmap(one, in_axes=(None, None, None, None, None, 0, 0))
    per_inner = jax.vmap(per_seed, in_axes=(None, None, 0, 0, 0, None, None))
    inits, residuals, batchnorms = (jnp.array(col) for col in zip(*INNER))
    run = jax.jit(lambda outer: lax.map(lambda o: per_inner(*o, inits, residuals, batchnorms, draws, batches), outer))
    return pairs, np.asarray(run(outer))


def training_grid(x, y, draws, batches):
    """Loss curves for every configuration with depth in TRAIN_DEPTHS: (configs, seeds, STEPS).

    Here everything is vmapped (activation and depth become selects and masks over a
    max(TRAIN_DEPTHS)-layer stack): few, wide loop iterations are what XLA runs fastest.
    """
    grid = [(a, d, i, r, b) for a in range(len(explorer.ACTIVATIONS)) for d in TRAIN_DEPTHS for i, r, b in INNER]
    a, d, i, r, b = (jnp.array(col) for col in zip(*grid))
    settings = explorer.Setting(activation=a, init=i, depth=d, residual=r, batchnorm=b)
    short = dict(draws)
    short["w_hidden"] = draws["w_hidden"][:, : max(TRAIN_DEPTHS) - 1]

    def one(s, draw, batch_idx):
        return explorer.train_record(explorer.init_params(draw, s.init), s, x, y, batch_idx, LEARNING_RATE)[1]

    run = jax.jit(jax.vmap(jax.vmap(one, in_axes=(None, 0, 0)), in_axes=(0, None, None)))
    return grid, np.asarray(run(settings, short, batches))


INNER = [(i, r, b) for i in range(len(explorer.INITS)) for r in (0.0, 1.0) for b in (0.0, 1.0)]


def run_grid():
    x, y = data.digits()
    keys = jnp.stack([jax.random.PRNGKey(s) for s in SEEDS])
    draws = jax.vmap(lambda k: explorer.standard_draws(k, x.shape[1], WIDTH, 10))(keys)
    batches = jnp.stack([explorer.batches_for_seed(s, x.shape[0], BATCH, STEPS) for s in SEEDS])
    return gradient_grid(x, y, draws, batches), training_grid(x, y, draws, batches)


def log10_rounded(values):
    """log10 rounded to 3 significant digits (or 2 decimals near 0); None where not finite."""
    out = []
    for v in values:
        if not np.isfinite(v) or v <= 0:
            out.append(None)
            continue
        lg = float(np.log10(v))
        out.append(float(f"{lg:.3g}") if abs(lg) >= 1 else round(lg, 2))
    return out


def three_digits(values):
    return [float(f"{v:.3g}") if np.isfinite(v) else None for v in values]


def summary(samples, log):
    """Median, min and max over seeds (axis 0); a diverged seed (inf/nan) makes the step None."""
    samples = np.where(np.isfinite(samples), samples, np.inf)
    stats = [np.median(samples, axis=0), samples.min(axis=0), samples.max(axis=0)]
    return [log10_rounded(s) if log else three_digits(s) for s in stats]


def build(out):
    (pairs, signal), (grid, losses) = run_grid()
    curve_steps = list(range(0, STEPS, CURVE_EVERY))
    if curve_steps[-1] != STEPS - 1:
        curve_steps.append(STEPS - 1)
    names = explorer.ACTIVATIONS, explorer.INITS
    configs = {}
    for p, (a, depth) in enumerate(pairs):
        for n, (i, r, b) in enumerate(INNER):
            configs[key(names[0][a], names[1][i], depth, r, b)] = {"g": summary(signal[p, n, :, :depth], log=True)}
    for (a, depth, i, r, b), curves in zip(grid, losses):
        configs[key(names[0][a], names[1][i], depth, r, b)]["l"] = summary(curves[:, curve_steps], log=False)

    out.data("explorer", {
        "activations": [[n, activations.get(n).label] for n in explorer.ACTIVATIONS],
        "inits": [[n, INIT_LABELS[n]] for n in explorer.INITS],
        "depths": list(DEPTHS),
        "train_depths": list(TRAIN_DEPTHS),
        "steps": curve_steps,
        "setup": {"width": WIDTH, "batch": BATCH, "steps": STEPS, "learning_rate": LEARNING_RATE,
                  "seeds": len(SEEDS)},
        "configs": configs,
    })
    for name, value in [("width", WIDTH), ("batch", BATCH), ("steps", STEPS), ("learning_rate", LEARNING_RATE),
                        ("seeds", len(SEEDS)), ("configurations", len(configs)),
                        ("max_train_depth", max(TRAIN_DEPTHS))]:
        out.number(name, value)
    preview(out, configs)


PREVIEW = [  # (configuration, legend, colour)
    (("sigmoid", "standard_normal", 10, 0, 0), "sigmoid, standard normal", "sigmoid"),
    (("relu", "he", 10, 0, 0), "ReLU, He", "relu"),
    (("relu", "he", 10, 1, 1), "ReLU, He, residual + batch norm", "tanh"),
]


def preview(out, configs):
    """Static figure for readers without JavaScript: three 10-layer configurations."""
    fig, (top, bottom) = style.figure(2, 1)
    for cfg, label, colour in PREVIEW:
        entry = configs[key(*cfg)]
        median, low, high = (np.array([np.nan if v is None else 10.0**v for v in s]) for s in entry["g"])
        layers = np.arange(1, len(median) + 1)
        top.fill_between(layers, low, high, color=style.ACTIVATION_COLOURS[colour], alpha=0.2, linewidth=0)
        top.plot(layers, median, color=style.ACTIVATION_COLOURS[colour], label=label)
        median, low, high = (np.array([np.nan if v is None else v for v in s]) for s in entry["l"])
        steps = np.arange(0, STEPS, CURVE_EVERY)[: len(median)]
        steps = np.append(steps, STEPS - 1)[: len(median)]
        bottom.fill_between(steps, low, high, color=style.ACTIVATION_COLOURS[colour], alpha=0.2, linewidth=0)
        bottom.plot(steps, median, color=style.ACTIVATION_COLOURS[colour], label=label)
    top.set(yscale="log", xlabel="hidden layer $l$ (1 = nearest the input)", ylabel=r"error signal $|\partial L/\partial h_l|$")
    top.legend(fontsize="small")
    bottom.set(xlabel="SGD step", ylabel="training loss (cross-entropy)")
    out.figure("explorer_preview", fig)
