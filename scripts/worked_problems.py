"""Every number of the worked problems (docs/problems/), given and answered, computed here.

Problems by hand are computed the way the solution works them (and, where the library
has the operation, with it: `jax.grad`, `networks.batch_norm`, `initializers`), so the
solution on the page quotes these numbers instead of typing them. Problems by experiment
run the library's measurements (`gradients.gradients_at_init`, `descent`). The data file
lists, for every problem, the numbers its solution must quote; tests/test_problems.py
checks that each solution does, and recomputes the by-hand answers from closed forms.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import data, descent, gradients, initializers, networks

ANSWERS: dict[str, list[str]] = {}  # problem -> the numbers its solution must quote


def record(out, problem: str, given: dict, answers: dict, digits: int = 4) -> None:
    """Record a problem's given values and answers as numbers.<script>.<problem>_<name>."""
    for name, value in {**given, **answers}.items():
        out.number(f"{problem}_{name}", value, digits=digits)
    ANSWERS[problem] = [f"{problem}_{name}" for name in answers]


def sigmoid_neuron(x, y, w, b, lr) -> dict:
    """One gradient-descent step on a = sigma(w x + b), loss (a - y)^2 / 2."""
    def loss(p):
        return 0.5 * (jax.nn.sigmoid(p[0] * x + p[1]) - y) ** 2

    p = jnp.array([w, b])
    a = float(jax.nn.sigmoid(w * x + b))
    grad = jax.grad(loss)(p)
    new = p - lr * grad
    return {"z": w * x + b, "a": a, "loss": float(loss(p)), "slope": a * (1 - a), "grad_w": float(grad[0]),
            "grad_b": float(grad[1]), "new_w": float(new[0]), "new_b": float(new[1]),
            "new_a": float(jax.nn.sigmoid(new[0] * x + new[1])), "new_loss": float(loss(new))}


# --8<-- [start:steps_to_halve_loss]
def steps_to_halve_loss(w0: float, x: float, y: float, lr: float, max_steps: int = 5000) -> int:
    """Gradient-descent steps on the neuron's weight (bias 0) until its loss is half the first."""
    def loss(w):
        return 0.5 * (jax.nn.sigmoid(w * x) - y) ** 2

    ws = descent.gradient_descent(loss, w0, lr, max_steps)
    losses = np.asarray(jax.vmap(loss)(ws))
    below = np.flatnonzero(losses <= losses[0] / 2)
    if below.size == 0:
        raise ValueError(f"the loss from w0 = {w0} did not halve in {max_steps} steps")
    return int(below[0])
# --8<-- [end:steps_to_halve_loss]


def chapter_1(out) -> None:
    # 1.1 A slope from two points.
    x0, h = 3.0, 0.1
    record(out, "p1_1", {"x": x0, "h": h, "x_right": x0 + h},
           {"f_left": x0**2, "f_right": (x0 + h) ** 2, "estimate": ((x0 + h) ** 2 - x0**2) / h,
            "exact": float(jax.grad(lambda v: v**2)(x0)), "error": ((x0 + h) ** 2 - x0**2) / h - 2 * x0})

    # 1.2 The gradient of f(x, y) = x^2 + 3 y^2, its direction and one step downhill.
    point, lr = jnp.array([1.0, 2.0]), 0.1

    def f(v):
        return v[0] ** 2 + 3 * v[1] ** 2

    g = jax.grad(f)(point)
    step = point - lr * g
    record(out, "p1_2", {"x": point[0], "y": point[1], "lr": lr},
           {"grad_x": g[0], "grad_y": g[1], "length": jnp.linalg.norm(g), "dir_x": g[0] / jnp.linalg.norm(g),
            "dir_y": g[1] / jnp.linalg.norm(g), "f_before": f(point), "new_x": step[0], "new_y": step[1],
            "f_after": f(step)})

    # 1.3 How large may the learning rate be on the bowl f(x) = a x^2 / 2?
    a, good, bad, x_start, k = 4.0, 0.3, 0.6, 1.0, 3
    xs_good = descent.gradient_descent(descent.quadratic(a), x_start, good, k)
    xs_bad = descent.gradient_descent(descent.quadratic(a), x_start, bad, k)
    record(out, "p1_3", {"a": a, "good_lr": good, "bad_lr": bad, "x0": x_start, "steps": k},
           {"limit": 2 / a, "good_factor": 1 - good * a, "bad_factor": 1 - bad * a,
            "good_x": xs_good[-1], "bad_x": xs_bad[-1]})

    # 1.4 One SGD step on a sigmoid neuron.
    given = {"x": 2.0, "y": 0.0, "w": 0.5, "b": 0.0, "lr": 0.5}
    record(out, "p1_4", given, sigmoid_neuron(**given))

    # 1.5 Experiment: a saturated neuron learns slowly.
    x, y, lr, fresh, saturated = 2.0, 1.0, 1.0, 0.0, -4.0
    record(out, "p1_5", {"x": x, "y": y, "lr": lr, "fresh_w": fresh, "saturated_w": saturated,
                         "saturated_z": saturated * x},
           {"fresh_steps": steps_to_halve_loss(fresh, x, y, lr),
            "saturated_steps": steps_to_halve_loss(saturated, x, y, lr),
            "saturated_slope": float(jax.nn.sigmoid(saturated * x) * (1 - jax.nn.sigmoid(saturated * x)))})


# --8<-- [start:signal_ratio]
def signal_ratio(x, y, depth: int, activation: str, init: str) -> float:
    """Layer 1's error signal divided by the last hidden layer's, at initialization.

    A network of `depth` hidden layers of 32 units, measured on 256 digits; the median
    over three seeds.
    """
    cfg = networks.MLPConfig(depth=depth, width=32, in_dim=64, out_dim=10, activation=activation, init=init)
    signal = gradients.gradients_at_init(cfg, x[:256], y[:256], seeds=(0, 1, 2))["hidden_grad_rms"]
    return float(np.median(signal[:, 0] / signal[:, -1]))
# --8<-- [end:signal_ratio]


def sigmoid_chain(weights, x, y) -> dict:
    """h_l = sigma(w_l h_{l-1}), loss (h_L - y)^2 / 2: outputs, per-layer factors, gradients."""
    def loss(w):
        h = x
        for wl in w:
            h = jax.nn.sigmoid(wl * h)
        return 0.5 * (h - y) ** 2

    w = jnp.asarray(weights)
    hs, h = [], x
    for wl in weights:
        h = float(jax.nn.sigmoid(wl * h))
        hs.append(h)
    slopes = [hl * (1 - hl) for hl in hs]
    grad = jax.grad(loss)(w)
    return {"hs": hs, "slopes": slopes, "factors": [weights[l + 1] * slopes[l] for l in range(len(weights) - 1)],
            "grad": [float(g) for g in grad], "loss": float(loss(w))}


def chapter_2(out, x_digits, y_digits) -> None:
    # 2.1 The best case multiplied: (1/4)^L.
    depth, target = 10, 1e-9
    threshold = -math.log10(target) / math.log10(4)  # (1/4)^L < target  <=>  L > threshold
    record(out, "p2_1", {"depth": depth, "target": target, "decades": -math.log10(target)},
           {"product": 0.25**depth, "log4": math.log10(4), "threshold": threshold,
            "layers_needed": math.ceil(threshold), "product_needed": 0.25 ** math.ceil(threshold),
            "product_before": 0.25 ** (math.ceil(threshold) - 1)})

    # 2.2 Backpropagation through a chain of three sigmoid neurons.
    weights, x, y = (2.0, 2.0, 2.0), 1.0, 0.0
    c = sigmoid_chain(weights, x, y)
    record(out, "p2_2", {"w": weights[0], "x": x, "y": y},
           {"h1": c["hs"][0], "h2": c["hs"][1], "h3": c["hs"][2], "loss": c["loss"],
            "slope1": c["slopes"][0], "slope2": c["slopes"][1], "slope3": c["slopes"][2],
            "factor2": c["factors"][0], "factor3": c["factors"][1],
            "grad_w3": c["grad"][2], "grad_w1": c["grad"][0], "ratio": c["grad"][0] / c["grad"][2],
            "slower": c["grad"][2] / c["grad"][0]}, digits=4)

    # 2.3 Slopes away from zero.
    tanh_slope = jax.grad(jnp.tanh)
    sigmoid_slope = jax.grad(jax.nn.sigmoid)
    z, layers = 2.0, 10
    record(out, "p2_3", {"z": z, "layers": layers},
           {"sigmoid_slope": sigmoid_slope(z), "tanh_slope": tanh_slope(z), "tanh_slope_zero": tanh_slope(0.0),
            "tanh_product": float(tanh_slope(z)) ** layers})

    # 2.4 The twin: factors above 1, and factors that do not cancel.
    small, large, layers = 0.8, 1.2, 30
    record(out, "p2_4", {"small": small, "large": large, "layers": layers},
           {"shrink": small**layers, "grow": large**layers, "pair": small * large,
            "alternating": (small * large) ** (layers // 2), "typical": math.sqrt(small * large)})

    # 2.5 Experiment: double the depth of a sigmoid network.
    ratios = {depth: signal_ratio(x_digits, y_digits, depth, "sigmoid", "xavier") for depth in (10, 20)}
    record(out, "p2_5", {"shallow": 10, "deep": 20, "seeds": 3, "examples": 256},
           {"ratio_shallow": ratios[10], "ratio_deep": ratios[20],
            "decades_shallow": -math.log10(ratios[10]), "decades_deep": -math.log10(ratios[20])}, digits=2)


def chapter_3(out, x_digits, y_digits) -> None:
    # 3.1 The variance that keeps a ReLU layer's signal steady.
    n, layers = 256, 20
    record(out, "p3_1", {"n": n, "layers": layers},
           {"variance": initializers.weight_variance("he", n, n), "std": math.sqrt(initializers.weight_variance("he", n, n)),
            "lecun_rms": math.sqrt(0.5) ** layers})

    # 3.2 Xavier against He for a 64 -> 32 layer.
    fan_in, fan_out = 64, 32
    record(out, "p3_2", {"fan_in": fan_in, "fan_out": fan_out},
           {"xavier": initializers.weight_variance("xavier", fan_in, fan_out),
            "xavier_std": math.sqrt(initializers.weight_variance("xavier", fan_in, fan_out)),
            "he": initializers.weight_variance("he", fan_in, fan_out)})

    # 3.3 The gradient through one residual block (scalar), with the library's branch scale.
    s, h, w, blocks = networks.RESIDUAL_BRANCH_SCALE, 1.5, 0.8, 20

    def residual(v):
        return v + s * jax.nn.relu(w * v)

    def plain(v):
        return jax.nn.relu(w * v)

    residual_slope, plain_slope = float(jax.grad(residual)(h)), float(jax.grad(plain)(h))
    record(out, "p3_3", {"s": s, "h": h, "w": w, "blocks": blocks, "negative_w": -w},
           {"residual_slope": residual_slope, "plain_slope": plain_slope,
            "residual_product": residual_slope**blocks, "plain_product": plain_slope**blocks,
            "negative_slope": float(jax.grad(lambda v: v + s * jax.nn.relu(-w * v))(h)),
            "negative_plain_slope": float(jax.grad(lambda v: jax.nn.relu(-w * v))(h))})

    # 3.4 Batch normalization of a batch of four.
    z = jnp.array([1.0, 2.0, 3.0, 6.0])
    normed = networks.batch_norm(z[:, None], jnp.ones(1), jnp.zeros(1))[:, 0]
    record(out, "p3_4", {f"z{i + 1}": v for i, v in enumerate(z)} | {"epsilon": networks.BN_EPSILON},
           {"mean": z.mean(), "variance": z.var(), "std": jnp.sqrt(z.var())}
           | {f"dev{i + 1}": v for i, v in enumerate(z - z.mean())}
           | {f"out{i + 1}": v for i, v in enumerate(normed)})

    # 3.5 Experiment: Xavier instead of He in a deep ReLU network.
    ratios = {init: signal_ratio(x_digits, y_digits, 30, "relu", init) for init in ("xavier", "he")}
    record(out, "p3_5", {"depth": 30, "seeds": 3, "examples": 256, "halvings": 29},
           {"ratio_xavier": ratios["xavier"], "ratio_he": ratios["he"], "predicted_xavier": math.sqrt(0.5) ** 29},
           digits=2)


def build(out):
    x, y = data.digits()
    chapter_1(out)
    chapter_2(out, x, y)
    chapter_3(out, x, y)
    out.data("worked_problems", {"answers": ANSWERS})
