"""The data behind the interactive explorer: per-layer gradients and loss curves for a grid.

Every combination of activation (5), initialization (3), depth (6), residual connections
(on/off) and batch norm (on/off), 360 networks, several seeds each, on the digits data.
For each we record the error signal at every hidden layer of the freshly initialized
network (RMS over the first mini-batch's examples of ||dloss_i/dh_l||) and the mini-batch
loss during plain SGD.

All of it is ONE compiled function (see `vanishing.packed`): the six depths are packed
into one lane, so a lane trains six networks and computes no layer it does not use;
`lax.map` runs the (activation, batch norm) pairs one after another, so only the chosen
activation and normalization are computed; `vmap` covers initialization, residual and
seeds.

Output: figures/data/explorer.json (log10 values, 3 significant digits) read by
docs/assets/javascripts/explorer.js, and a static preview figure for readers without
JavaScript.
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from vanishing import activations, data, packed, style

DEPTHS = (2, 5, 10, 20, 50, 100)
WIDTH = 16
BATCH = 16
STEPS = 30
LEARNING_RATE = 0.1
SEEDS = (0, 1, 2)
BRANCH_SCALE = 0.1  # residual branches: keeps a 100-layer network's first loss near a shallow one's
CURVE_EVERY = 2  # keep every 2nd step of the loss curve (and the last)
INIT_LABELS = {"standard_normal": "standard normal", "xavier": "Xavier", "he": "He"}
OUTER = [(a, b) for a in range(len(packed.ACTIVATIONS)) for b in (0.0, 1.0)]  # run one after another
INNER = [(i, r) for i in range(len(packed.INITS)) for r in (0.0, 1.0)]  # vmapped, with the seeds


def key(activation, init, depth, residual, batchnorm) -> str:
    """The JSON key of one configuration, e.g. 'relu-he-50-1-0' (the page's URL uses it too)."""
    return f"{activation}-{init}-{depth}-{int(residual)}-{int(batchnorm)}"


def run_grid():
    """Train the grid: (layout, signal (outer, inner, seeds, states), losses (outer, inner, seeds, steps, nets))."""
    x, y = data.digits()
    layout = packed.Layout(DEPTHS)
    keys = jnp.stack([jax.random.PRNGKey(s) for s in SEEDS])
    draws = jax.jit(jax.vmap(lambda k: packed.standard_draws(k, x.shape[1], WIDTH, 10, max(DEPTHS))))(keys)
    batches = jnp.stack([packed.batches_for_seed(s, x.shape[0], BATCH, STEPS) for s in SEEDS])
    inits, residuals = (jnp.array(col) for col in zip(*INNER))

    def lane(activation, batchnorm, init, residual, draw, batch_idx):
        c = packed.Choice(activation, init, residual, batchnorm, BRANCH_SCALE)
        result = packed.train(packed.init_params(draw, init, layout), c, x, y, batch_idx, LEARNING_RATE, layout)
        return result["signal"], result["loss"]

    per_seed = jax.vmap(lane, in_axes=(None, None, None, None, 0, 0))
    per_inner = jax.vmap(per_seed, in_axes=(None, None, 0, 0, None, None))
    outer = tuple(jnp.array(col) for col in zip(*OUTER))
    run = jax.jit(lambda outer: lax.map(lambda o: per_inner(*o, inits, residuals, draws, batches), outer))
    signal, losses = run(outer)
    return layout, np.asarray(signal), np.asarray(losses)


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
    layout, signal, losses = run_grid()
    curve_steps = list(range(0, STEPS, CURVE_EVERY))
    if curve_steps[-1] != STEPS - 1:
        curve_steps.append(STEPS - 1)
    configs = {}
    for o, (a, b) in enumerate(OUTER):
        for n, (i, r) in enumerate(INNER):
            per_net = layout.per_network(signal[o, n])  # (seeds, depth) for each depth
            for j, depth in enumerate(DEPTHS):
                configs[key(packed.ACTIVATIONS[a], packed.INITS[i], depth, r, b)] = {
                    "g": summary(per_net[j], log=True),
                    "l": summary(losses[o, n][:, curve_steps, j], log=False),
                }

    out.data("explorer", {
        "activations": [[n, activations.get(n).label] for n in packed.ACTIVATIONS],
        "inits": [[n, INIT_LABELS[n]] for n in packed.INITS],
        "depths": list(DEPTHS),
        "steps": curve_steps,
        "setup": {"width": WIDTH, "batch": BATCH, "steps": STEPS, "learning_rate": LEARNING_RATE,
                  "seeds": len(SEEDS)},
        "configs": dict(sorted(configs.items())),
    })
    for name, value in [("width", WIDTH), ("batch", BATCH), ("steps", STEPS), ("learning_rate", LEARNING_RATE),
                        ("seeds", len(SEEDS)), ("configurations", len(configs)),
                        ("branch_scale", BRANCH_SCALE), ("activation_count", len(packed.ACTIVATIONS)),
                        ("init_count", len(packed.INITS)), ("depth_count", len(DEPTHS)),
                        ("max_depth", max(DEPTHS))]:
        out.number(name, value)
    preview(out, configs)


PREVIEW_DEPTH = 50
PREVIEW = [  # (name for the numbers, configuration, legend, colour)
    ("sigmoid", ("sigmoid", "standard_normal", PREVIEW_DEPTH, 0, 0), "sigmoid, standard normal", "sigmoid"),
    ("relu", ("relu", "he", PREVIEW_DEPTH, 0, 0), "ReLU, He", "relu"),
    ("residual", ("tanh", "xavier", PREVIEW_DEPTH, 1, 1), "tanh, Xavier, residual + batch norm", "tanh"),
]


def preview(out, configs):
    """Static figure for readers without JavaScript: three 50-layer configurations, and their numbers."""
    fig, (top, bottom) = style.figure(2, 1)
    for name, cfg, label, colour in PREVIEW:
        entry = configs[key(*cfg)]
        median, low, high = (np.array([np.nan if v is None else 10.0**v for v in s]) for s in entry["g"])
        layers = np.arange(1, len(median) + 1)
        top.fill_between(layers, low, high, color=style.ACTIVATION_COLOURS[colour], alpha=0.2, linewidth=0)
        top.plot(layers, median, color=style.ACTIVATION_COLOURS[colour], label=label)
        out.number(f"preview_{name}_signal_drop", float(median[-1] / median[0]), digits=2)
        median, low, high = (np.array([np.nan if v is None else v for v in s]) for s in entry["l"])
        steps = np.array(sorted(set(range(0, STEPS, CURVE_EVERY)) | {STEPS - 1}))
        bottom.fill_between(steps, low, high, color=style.ACTIVATION_COLOURS[colour], alpha=0.2, linewidth=0)
        bottom.plot(steps, median, color=style.ACTIVATION_COLOURS[colour], label=label)
        out.number(f"preview_{name}_first_loss", float(median[0]), digits=2)
        out.number(f"preview_{name}_last_loss", float(median[-1]), digits=2)
    bottom.axhline(np.log(10), color=style.OKABE_ITO["black"], linestyle=":", linewidth=1)
    bottom.annotate("guessing: $\\ln 10$", xy=(STEPS * 0.4, np.log(10) - 0.35), fontsize=10)
    top.set(yscale="log", xlabel="hidden layer $l$ (1 = nearest the input)", ylabel=r"error signal $|\partial L/\partial h_l|$")
    top.legend(fontsize="small")
    bottom.set(xlabel="SGD step", ylabel="training loss (cross-entropy)")
    out.number("preview_depth", PREVIEW_DEPTH)
    out.figure("explorer_preview", fig)
