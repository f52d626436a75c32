"""Gradient descent on f(x) = lam x^2 / 2 with three learning rates: smooth, oscillating, diverging.

lam (lambda on the page) is the curvature f''(x). Each step is
x_{k+1} = x_k - lr f'(x_k) = (1 - lr lam) x_k, so a reader can recompute the table by
hand. With lam = 4 the step is stable when lr < 2/lam = 0.5: lr = 0.1 shrinks x by a
factor 0.6 each step, lr = 0.45 flips its sign and shrinks it by 0.8, lr = 0.55 flips it
and grows it by 1.2. Iterates come from `vanishing.descent.gradient_descent` (jax.grad).
"""

import numpy as np

from vanishing import descent, style
from vanishing.outputs import markdown_table

CURVATURE = 4.0  # lambda, the second derivative f''(x)
X0 = 1.0
LEARNING_RATES = (0.1, 0.45, 0.55)
STEPS = 8  # in the figure
TABLE_STEPS = 4  # in the table: few enough to check by hand, exact in 5 significant digits
COLOURS = ("blue", "orange", "vermillion")
LINESTYLES = ("-", "--", "-.")


# --8<-- [start:gradient_descent_quadratic]
def iterates(lr: float) -> np.ndarray:
    return np.asarray(descent.gradient_descent(descent.quadratic(CURVATURE), X0, lr, STEPS))
# --8<-- [end:gradient_descent_quadratic]


def number_text(v: float) -> str:
    """Up to 6 significant digits, so the table stays exact enough to check by hand."""
    return f"{v:.6g}".replace("-", "−")


def draw_steps(runs, f):
    """The iterates on the curve itself, every point and step its own SVG group (gid), for the
    step-through widget (gd-stepper.js); without JavaScript, all of them at once."""
    stem = "gradient_descent_quadratic_steps"
    fig, ax = style.figure()
    x = np.linspace(-3.2, 3.2, 321)
    ax.plot(x, [float(f(v)) for v in x], color=style.OKABE_ITO["black"], linewidth=1.6)
    for i, (lr, colour, ls) in enumerate(zip(LEARNING_RATES, COLOURS, LINESTYLES)):
        points = [(float(v), float(f(v))) for v in runs[lr]]
        kw = dict(color=style.OKABE_ITO[colour], linestyle=ls)
        for k in range(1, len(points)):
            (x0, y0), (x1, y1) = points[k - 1], points[k]
            ax.plot([x0, x1], [y0, y1], linewidth=1.4, gid=f"{stem}-run{i}-segment{k}", **kw)
        for k, (xk, yk) in enumerate(points):
            ax.plot([xk], [yk], "o", markersize=6, color=style.OKABE_ITO[colour], gid=f"{stem}-run{i}-point{k}",
                    zorder=3)
        ax.plot([], [], marker="o", label=f"lr = {lr:g}", **kw)  # no outcome named: the reader predicts it
    ax.set(xlim=(-3.2, 3.2), ylim=(-0.5, 21), xlabel="$x$", ylabel="$f(x)$",
           title=f"Gradient descent on $f(x) = {CURVATURE:g}\\,x^2/2$ from $x_0 = {X0:g}$")
    style.legend_below(ax, ncols=1, fontsize=10)
    return fig


def build(out):
    runs = {lr: iterates(lr) for lr in LEARNING_RATES}
    f = descent.quadratic(CURVATURE)
    k = np.arange(STEPS + 1)

    fig, (ax_x, ax_f) = style.figure(2, 1, sharex=True)
    for lr, colour, ls in zip(LEARNING_RATES, COLOURS, LINESTYLES):
        label = f"lr = {lr:g}: {descent.regime(lr, CURVATURE)}"
        kw = dict(color=style.OKABE_ITO[colour], linestyle=ls, marker="o", markersize=5)
        ax_x.plot(k, runs[lr], label=label, **kw)
        ax_f.plot(k, [float(f(x)) for x in runs[lr]], **kw)
    ax_x.axhline(0, color=style.OKABE_ITO["black"], linewidth=1)
    ax_x.set(ylabel="$x_k$", ylim=(-4.8, 3.4), title=f"$x_k$ on $f(x) = {CURVATURE:g}\\,x^2/2$ from $x_0 = {X0:g}$")
    ax_x.legend(loc="lower left", fontsize=10)
    ax_f.set_yscale("log")
    ax_f.set(xlabel="step $k$", ylabel="$f(x_k)$ (log scale)", title="The function value $f(x_k)$")
    out.figure("gradient_descent_quadratic", fig)
    out.figure("gradient_descent_quadratic_steps", draw_steps(runs, f))
    out.data("gradient_descent_quadratic_steps", {
        "stem": "gradient_descent_quadratic_steps", "predict": LEARNING_RATES.index(max(LEARNING_RATES)),
        "runs": [{"lr": lr, "regime": descent.regime(lr, CURVATURE), "points": [[float(v)] for v in runs[lr]],
                  "values": [float(f(v)) for v in runs[lr]]} for lr in LEARNING_RATES]})

    header = ["step $k$"] + [f"lr = {lr:g}" for lr in LEARNING_RATES]
    rows = [[int(i)] + [number_text(runs[lr][i]) for lr in LEARNING_RATES] for i in k[:TABLE_STEPS + 1]]
    rows.append(["factor $1 - \\text{lr}\\,\\lambda$"] + [number_text(1 - lr * CURVATURE) for lr in LEARNING_RATES])
    rows.append(["behaviour"] + [descent.regime(lr, CURVATURE) for lr in LEARNING_RATES])
    out.table("gradient_descent_quadratic", markdown_table(header, rows))
    out.data("gradient_descent_quadratic", {"curvature": CURVATURE, "x0": X0,
                                            "iterates": {str(lr): runs[lr].tolist() for lr in LEARNING_RATES}})

    out.number("curvature", CURVATURE)
    out.number("x0", X0)
    out.number("steps", STEPS)
    out.number("table_steps", TABLE_STEPS)
    out.number("stable_limit", 2.0 / CURVATURE)
    for name, lr in zip(("smooth", "oscillating", "diverging"), LEARNING_RATES):
        out.number(f"lr_{name}", lr)
        out.number(f"factor_{name}", 1.0 - lr * CURVATURE)
        # As many digits as the table shows (number_text), so prose and table agree.
        out.number(f"x1_{name}", float(runs[lr][1]), digits=6)
        out.number(f"x2_{name}", float(runs[lr][2]), digits=6)
        out.number(f"last_{name}", float(runs[lr][-1]), digits=4)  # after STEPS: in the figure, not the table
