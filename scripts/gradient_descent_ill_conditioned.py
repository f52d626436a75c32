"""Gradient descent on a long, narrow 2-D valley: curvature 10 across it, 1 along it.

In coordinates s (across the valley) and t (along it) the valley is
f = (lam_max s^2 + lam_min t^2) / 2, and each coordinate is its own 1-D problem: it is
multiplied by (1 - lr * lam) at every step. The figure turns this valley by 45 degrees,
f(x) = x^T A x / 2 with A's eigenvectors along the diagonals and eigenvalues 1 and 10.
The sharply curved direction (curvature 10) limits the learning rate to lr < 2/10; the
gently curved one (curvature 1) is then multiplied by at least 1 - 2/10 per step, so
progress along the valley floor is slow. Top: the trajectories that converge, on the
contour plot. Bottom: f(x^(k)) for all three learning rates, the diverging one included."""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import descent, style
from vanishing.outputs import markdown_table

MATRIX = ((5.5, 4.5), (4.5, 5.5))  # eigenvalues 1 and 10, eigenvectors along the diagonals
X0 = (-2.0, 1.0)
LEARNING_RATES = (0.05, 0.18, 0.21)
STEPS = 25
COLOURS = ("blue", "orange", "vermillion")
LINESTYLES = ("-", "--", "-.")
X_RANGE = (-3.0, 3.0)
Y_RANGE = (-2.5, 2.5)


# --8<-- [start:gradient_descent_ill_conditioned]
def run(lr: float) -> np.ndarray:
    return np.asarray(descent.gradient_descent(descent.quadratic(jnp.array(MATRIX)), jnp.array(X0), lr, STEPS))
# --8<-- [end:gradient_descent_ill_conditioned]


def factor_formula(curvature: float) -> str:
    """The per-step factor as LaTeX, 1 - lam eta, written 1 - eta when lam = 1.

    The eigenvalues come from `eigvalsh` and can miss a round number in the last bit, so
    they are rounded (as `:g` does for the printed value) before the comparison.
    """
    c = round(float(curvature), 9)
    return "1 - \\eta" if c == 1 else f"1 - {c:g}\\,\\eta"


def draw_steps(runs, fz, grid_xy, lam_max):
    """The three paths over the contour plot, every iterate and step its own SVG group (gid),
    for the step-through widget (gd-stepper.js); the diverging path leaves the chart."""
    stem = "gradient_descent_ill_conditioned_steps"
    fig, ax = style.figure(figsize=(6.4, 5.6))
    ax.contour(*grid_xy, fz, levels=[0.1, 0.3, 0.7, 1.5, 3, 5, 8, 12, 17, 23], cmap="viridis", linewidths=1)
    for i, (lr, colour, ls) in enumerate(zip(LEARNING_RATES, COLOURS, LINESTYLES)):
        path = runs[lr]
        kw = dict(color=style.OKABE_ITO[colour], linestyle=ls)
        for k in range(1, len(path)):
            ax.plot(path[k - 1:k + 1, 0], path[k - 1:k + 1, 1], linewidth=1.5, gid=f"{stem}-run{i}-segment{k}", **kw)
        for k, (x1, x2) in enumerate(path):
            ax.plot([x1], [x2], "o", markersize=4, color=style.OKABE_ITO[colour], gid=f"{stem}-run{i}-point{k}",
                    zorder=3)
        ax.plot([], [], marker="o", markersize=4, label=f"lr = {lr:g}", **kw)  # no outcome named: the reader predicts it
    ax.plot(*X0, "s", color=style.OKABE_ITO["black"], markersize=7)
    ax.plot(0, 0, "*", color=style.OKABE_ITO["black"], markersize=11)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal", xlim=X_RANGE, ylim=Y_RANGE)
    ax.grid(False)
    style.legend_below(ax, ncols=1, fontsize=10)
    return fig


def build(out):
    a = jnp.array(MATRIX)
    f = descent.quadratic(a)
    lam = np.asarray(jnp.linalg.eigvalsh(a))  # ascending: lam_min, lam_max
    lam_min, lam_max = float(lam[0]), float(lam[-1])
    runs = {lr: run(lr) for lr in LEARNING_RATES}
    f_many = jax.jit(jax.vmap(f))
    values = {lr: np.asarray(f_many(jnp.asarray(runs[lr]))) for lr in LEARNING_RATES}

    fig, (ax, ax_f) = style.figure(2, 1, figsize=(6.4, 8.6), height_ratios=(1.2, 1))
    gx, gy = np.meshgrid(np.linspace(*X_RANGE, 201), np.linspace(*Y_RANGE, 161))
    grid = jnp.stack([gx.ravel(), gy.ravel()], axis=1)
    fz = np.asarray(f_many(grid)).reshape(gx.shape)
    ax.contour(gx, gy, fz, levels=[0.1, 0.3, 0.7, 1.5, 3, 5, 8, 12, 17, 23], cmap="viridis", linewidths=1)
    for lr, colour, ls in zip(LEARNING_RATES, COLOURS, LINESTYLES):
        path = runs[lr]
        label = f"lr = {lr:g}: {descent.regime(lr, lam_max)}"
        if descent.regime(lr, lam_max) != "diverges":  # a diverging path would hide the others
            ax.plot(path[:, 0], path[:, 1], color=style.OKABE_ITO[colour], linestyle=ls, marker="o",
                    markersize=3.5, linewidth=1.6, label=label)
        ax_f.plot(np.arange(STEPS + 1), values[lr], color=style.OKABE_ITO[colour], linestyle=ls, label=label)
    ax.plot(*X0, "s", color=style.OKABE_ITO["black"], markersize=7)
    ax.annotate("start", X0, xytext=(-10, 8), textcoords="offset points", fontsize=10)
    ax.plot(0, 0, "*", color=style.OKABE_ITO["black"], markersize=11)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal", xlim=X_RANGE, ylim=Y_RANGE,
           title=f"A narrow valley: curvature {lam_max:g} across, {lam_min:g} along")
    ax.grid(False)  # no legend of its own: the one below names the same colours and lines
    ax_f.set_yscale("log")
    ax_f.set(xlabel="step $k$", ylabel="$f(x^{(k)})$ (log scale)", title=f"Function value over {STEPS} steps")
    style.legend_below(ax_f, ncols=1, fontsize=9.5)
    out.figure("gradient_descent_ill_conditioned", fig)
    out.figure("gradient_descent_ill_conditioned_steps", draw_steps(runs, fz, (gx, gy), lam_max))
    out.data("gradient_descent_ill_conditioned_steps", {
        "stem": "gradient_descent_ill_conditioned_steps", "predict": LEARNING_RATES.index(max(LEARNING_RATES)),
        "runs": [{"lr": lr, "regime": descent.regime(lr, lam_max), "points": runs[lr].tolist(),
                  "values": values[lr].tolist()} for lr in LEARNING_RATES]})

    rows = []
    for lr in LEARNING_RATES:
        rows.append([f"{lr:g}", f"{1 - lr * lam_max:.2f}".replace("-", "−"), f"{1 - lr * lam_min:.2f}",
                     descent.regime(lr, lam_max), f"{float(values[lr][-1]):.3g}"])
    out.table("gradient_descent_ill_conditioned", markdown_table(
        ["lr", f"across<br>${factor_formula(lam_max)}$", f"along<br>${factor_formula(lam_min)}$", "behaviour",
         f"$f$ after<br>{STEPS} steps"], rows, align="rrrlr"))
    out.data("gradient_descent_ill_conditioned", {"matrix": [list(r) for r in MATRIX], "x0": list(X0),
                                                  "paths": {str(lr): runs[lr].tolist() for lr in LEARNING_RATES}})

    out.number("lambda_min", lam_min)
    out.number("lambda_max", lam_max)
    out.number("condition_number", lam_max / lam_min)
    out.number("stable_limit", 2.0 / lam_max)
    out.number("steps", STEPS)
    out.number("f0", float(f(jnp.array(X0))))
    out.number("start_x1", X0[0])
    out.number("start_x2", X0[1])
    out.number("zigzag_limit", 1.0 / lam_max)  # above it the factor across is negative: zigzags
    # The best fixed rate makes both factors equally large in size, (kappa - 1)/(kappa + 1).
    out.number("lambda_sum", lam_max + lam_min)
    out.number("best_lr", 2.0 / (lam_max + lam_min), digits=2)
    out.number("best_factor", (lam_max - lam_min) / (lam_max + lam_min), digits=2)
    out.number("best_shallow_factor", 1.0 - 2.0 / lam_max * lam_min)
    out.number("best_shallow_shrink_percent", 100.0 * 2.0 / lam_max * lam_min)
    for name, lr in zip(("slow", "zigzag", "diverging"), LEARNING_RATES):
        out.number(f"lr_{name}", lr)
        out.number(f"f_final_{name}", float(values[lr][-1]), digits=3)
