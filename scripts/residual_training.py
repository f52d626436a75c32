"""Training curves on the digits: a shallow plain network, a deep plain one, a deep residual one.

The degradation problem (He et al. 2015): the deep plain network trains WORSE than the
shallow one (higher training loss, so not overfitting), although it could in principle
copy the shallow one and set its extra layers to the identity. With identity shortcuts
the same depth trains. ReLU, He init; the residual branches are scaled by BRANCH_SCALE so
the forward signal does not grow with depth (real ResNets use batch norm for that).

All three train in one compiled function: the packed networks
(`vanishing.packed`, tested equal to the library's MLP) put the shallow and the deep
network in one lane, and vmap runs a plain and a residual lane for every seed (the
residual shallow network comes along unused).
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, losses, packed, style, training
from vanishing.outputs import markdown_table

SHALLOW, DEEP, WIDTH = 3, 30, 32
# With a scale of 1 every residual layer adds a unit-size term and the deep network's first
# loss is far too large; 0.1 keeps it near the scale of a shallow network.
BRANCH_SCALE = 0.1
TRAIN = training.TrainConfig(steps=300, batch_size=64, learning_rate=0.05, momentum=0.9)
SEEDS = range(4)
SMOOTH = 20  # steps per averaging window of the plotted loss
MODELS = (("plain", SHALLOW, False), ("plain", DEEP, False), ("residual", DEEP, True))


def train_all(x, y):
    """Loss per step (residual, seeds, steps, nets) and final loss and accuracy on all digits."""
    layout = packed.Layout((SHALLOW, DEEP))
    relu, he = packed.ACTIVATIONS.index("relu"), packed.INITS.index("he")

    def one(residual, seed_key, batches):
        c = packed.Choice(jnp.asarray(relu), jnp.asarray(he), residual, jnp.asarray(0.0), BRANCH_SCALE)
        draws = packed.standard_draws(seed_key, x.shape[1], WIDTH, 10, DEEP)
        result = packed.train(packed.init_params(draws, c.init, layout), c, x, y, batches,
                              TRAIN.learning_rate, layout, TRAIN.momentum)
        logits = packed.forward(result["params"], c, x, layout)
        per_net = jax.vmap(lambda lg: (losses.cross_entropy(lg, y), training.accuracy(lg, y)))(logits)
        return result["loss"], *per_net

    keys = jnp.stack([jax.random.split(jax.random.PRNGKey(s))[0] for s in SEEDS])
    batches = jnp.stack([packed.batches_for_seed(s, x.shape[0], TRAIN.batch_size, TRAIN.steps) for s in SEEDS])
    per_seed = jax.vmap(one, in_axes=(None, 0, 0))
    run = jax.jit(jax.vmap(per_seed, in_axes=(0, None, None)))
    return [np.asarray(a) for a in run(jnp.array([0.0, 1.0]), keys, batches)]


def train_models(x, y) -> dict:
    """{"plain_3": (loss per step (seeds, steps), final loss (seeds,), accuracy (seeds,)), ...}"""
    history, full_loss, acc = train_all(x, y)
    res = {}
    for kind, depth, residual in MODELS:
        r, j = int(residual), (SHALLOW, DEEP).index(depth)
        res[f"{kind}_{depth}"] = (history[r, :, :, j], full_loss[r, :, j], acc[r, :, j])
    return res


def build(out):
    x, y = data.digits()
    res = train_models(x, y)
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
