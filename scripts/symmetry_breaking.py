"""Why the weights must not all start equal: symmetry that gradient descent cannot break.

If every unit of a layer starts with the same weights, every unit computes the same
output, receives the same error signal, and so gets the same gradient: after the update
they are still equal, and so on forever. The layer acts like a single unit, however wide
it is. All-zero weights are the extreme case: in a tanh network every hidden output is
tanh(0) = 0, so no weight gets any gradient at all.

A small tanh network (2 hidden layers of 16 units) on the digits, plain SGD, three ways
to start: random (Xavier), every weight equal, every weight 0 (biases 0 in all three),
the same batches for all three (the seed picks them). We record, at every step, the
largest difference between the gradients of two units of the same layer, and the
weights from one pixel into each unit of the first layer.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, networks, style, training

DEPTH, WIDTH, ACTIVATION = 2, 16, "tanh"
TRAIN = training.TrainConfig(steps=300, batch_size=64, learning_rate=0.1)
SEEDS = tuple(range(3))
EQUAL_WEIGHT = 0.1  # every weight of the "all equal" start
PIXEL = 36  # the pixel (row 4, column 4 of the 8x8 image) whose weights the figure follows
STARTS = ("random", "equal", "zero")
LABELS = {"random": "random (Xavier)", "equal": f"all weights {EQUAL_WEIGHT:g}", "zero": "all weights 0"}
COLOURS = {"random": style.OKABE_ITO["blue"], "equal": style.OKABE_ITO["vermillion"], "zero": style.OKABE_ITO["black"]}
LINESTYLES = {"random": "-", "equal": "--", "zero": ":"}
SMOOTH = 15


def network() -> networks.MLPConfig:
    return networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, activation=ACTIVATION, init="xavier")


# --8<-- [start:symmetry_breaking]
def start_params(net, kind: str) -> dict:
    """The weights every seed's run starts from, stacked; random ones are those sgd_train would draw."""
    params = training.start_networks(net, SEEDS)
    if kind == "random":
        return params
    value = EQUAL_WEIGHT if kind == "equal" else 0.0
    return {k: np.full_like(v, value) if k.startswith("w_") else v for k, v in params.items()}


def unit_spread(tree: dict) -> jax.Array:
    """Per hidden layer: the largest difference between the incoming weights (or gradients) of two units."""
    layers = [tree["w_in"]] + list(tree["w_hidden"])  # columns are units
    return jnp.stack([jnp.max(jnp.abs(w - w[:, :1])) for w in layers])


def watch(params, grads) -> dict:
    return {"grad_spread": unit_spread(grads), "pixel_weights": params["w_in"][PIXEL]}


def train_all(net, x, y) -> dict:
    """Every start and seed in one compiled run; {start: history (seeds, ...)} as numpy arrays."""
    starts = jax.tree.map(lambda *a: np.concatenate(a), *[start_params(net, kind) for kind in STARTS])
    history = training.train_mlp(net, TRAIN, x, y, SEEDS * len(STARTS), start_params=starts, watch=watch)
    accuracy = jax.jit(jax.vmap(lambda p: training.accuracy(networks.forward(p, net, x)[0], y)))(history["params"])
    n, result = len(SEEDS), {}
    for i, kind in enumerate(STARTS):
        rows = slice(i * n, (i + 1) * n)
        result[kind] = {k: np.asarray(history[k][rows]) for k in ("loss", "grad_spread", "pixel_weights")}
        result[kind]["accuracy"] = np.asarray(accuracy[rows])
    return result
# --8<-- [end:symmetry_breaking]


def build(out):
    x, y = data.digits()
    net = network()
    res = train_all(net, x, y)

    fig, (ax_loss, ax_random, ax_equal) = style.figure(3, 1, figsize=(6.4, 9.0))
    steps = np.arange(TRAIN.steps).reshape(-1, SMOOTH).mean(axis=1) + 0.5
    for kind in STARTS:
        smooth = res[kind]["loss"].reshape(len(SEEDS), -1, SMOOTH).mean(axis=2)
        style.band(ax_loss, steps, smooth, COLOURS[kind], LABELS[kind], LINESTYLES[kind])
    ax_loss.set(xlabel="training step", ylabel="training loss", title=f"{ACTIVATION} network, {DEPTH} layers of {WIDTH}")
    fig.legend(*ax_loss.get_legend_handles_labels(), loc="outside upper center", ncols=3, fontsize=10)
    all_steps = np.arange(1, TRAIN.steps + 1)
    for ax, kind in ((ax_random, "random"), (ax_equal, "equal")):
        weights = res[kind]["pixel_weights"][0]  # seed 0: (steps, units)
        for unit in range(WIDTH):
            ax.plot(all_steps, weights[:, unit], color=COLOURS[kind], linewidth=1.2, alpha=0.8)
        ax.set(ylabel="weight from one pixel", title=f"{LABELS[kind]}: each of the {WIDTH} units")
    ax_random.sharey(ax_equal)
    ax_equal.set(xlabel="training step")
    out.figure("symmetry_breaking", fig)

    out.data("symmetry_breaking", {
        "setup": {"depth": DEPTH, "width": WIDTH, "activation": ACTIVATION, "steps": TRAIN.steps,
                  "batch": TRAIN.batch_size, "learning_rate": TRAIN.learning_rate, "seeds": list(SEEDS),
                  "equal_weight": EQUAL_WEIGHT, "pixel": PIXEL},
        **{kind: {"loss_every_10": r["loss"][:, ::10].tolist(), "accuracy": r["accuracy"].tolist(),
                  "max_grad_spread": r["grad_spread"].max(axis=1).tolist(),
                  "final_pixel_weights": r["pixel_weights"][:, -1].tolist()} for kind, r in res.items()},
    })
    for kind, r in res.items():
        out.number(f"{kind}_accuracy_pct", round(100 * float(np.median(r["accuracy"])), 1))
    out.number("equal_max_grad_spread", float(res["equal"]["grad_spread"].max()), digits=2)
    for key, value in {"depth": DEPTH, "width": WIDTH, "steps": TRAIN.steps, "batch": TRAIN.batch_size,
                       "lr": TRAIN.learning_rate, "seeds": len(SEEDS), "equal_weight": EQUAL_WEIGHT}.items():
        out.number(key, value)
