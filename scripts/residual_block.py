"""A residual block, x -> x + F(x), and its Jacobian I + dF/dx, with the numbers of a real block.

The block is the one chapter 3's residual networks use: F(x) = sigma(x W + b), added to
its input. Its Jacobian (how each output moves when one input moves) is the identity
plus the branch's Jacobian; in the backward pass the error signal is multiplied by its
transpose, so even when dF/dx is tiny the signal passes through the identity unharmed.
The numbers: a 2-unit block with Xavier weights (seed SEED), biases 0, at input X;
dF/dx from `jax.jacfwd`.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import diagram, initializers, style

SEED, X = 3, (0.5, -1.0)


# --8<-- [start:residual_block]
def block_jacobians():
    w = initializers.init_weight(jax.random.PRNGKey(SEED), "xavier", 2, 2)
    x = jnp.array(X)

    def branch(v):  # F(x) = sigma(x W + b), b = 0
        return jax.nn.sigmoid(v @ w)

    def block(v):  # x + F(x)
        return v + branch(v)

    # Row i, column j: how output i moves when input j moves.
    return np.asarray(w), np.asarray(jax.jacfwd(branch)(x)), np.asarray(jax.jacfwd(block)(x))
# --8<-- [end:residual_block]


def matrix(ax, labels, centre, values, key, fontsize, colour):
    """A 2 x 2 matrix of drawn numbers between square brackets."""
    cx, cy = centre
    dx, dy = 0.33, 0.2
    for i in range(2):
        for j in range(2):
            labels.text(ax, cx + (j - 0.5) * 2 * dx, cy - (i - 0.5) * 2 * dy, values[i, j], key=f"{key}-{i}{j}",
                        decimals=2, ha="center", va="center", fontsize=fontsize, color=colour)
    for side in (-1, 1):
        x = cx + side * (2 * dx + 0.02)
        ax.plot([x - side * 0.08, x, x, x - side * 0.08], [cy + 2 * dy, cy + 2 * dy, cy - 2 * dy, cy - 2 * dy],
                color=style.OKABE_ITO["black"], linewidth=1.2)


def draw(dF, J, phone: bool):
    labels = style.Labels("residual_block")
    size = 13 if phone else 12
    if phone:
        width, height = style.PHONE_WIDTH, 6.3
        top = height - 0.45
        x_in, f_box, plus, x_out = (1.4, top), (1.4, top - 1.25), (1.4, top - 2.25), (1.4, top - 2.85)
    else:
        width, height = 6.4, 3.5
        x_in, f_box, plus, x_out = (0.45, 2.35), (1.9, 2.35), (3.25, 2.35), (4.15, 2.35)
    fig, ax = diagram.canvas(width, height)
    ax.text(*x_in, "$x$", ha="center", va="center", fontsize=15)
    diagram.box(ax, f_box, (1.5, 0.62) if not phone else (1.9, 0.62), "$F(x) = \\sigma(xW + b)$", gid="residual_block-branch",
                fontsize=size)
    ax.add_patch(style.plt.Circle(plus, 0.2, facecolor="white", edgecolor=style.OKABE_ITO["black"], linewidth=1.5,
                                  zorder=3))
    ax.text(*plus, "+", ha="center", va="center", fontsize=16, zorder=4)
    ax.text(*x_out, "$x + F(x)$", ha="center", va="center", fontsize=size + 1)
    along = np.array([0, -1]) if phone else np.array([1, 0])
    diagram.arrow(ax, np.array(x_in) + along * 0.2, np.array(f_box) - along * (0.31 if phone else 0.76),
                  width=1.5)
    diagram.arrow(ax, np.array(f_box) + along * (0.31 if phone else 0.76), np.array(plus) - along * 0.2, width=1.5)
    diagram.arrow(ax, np.array(plus) + along * 0.2, np.array(x_out) - along * (0.2 if phone else 0.45), width=1.5)
    # The skip connection: x goes around F, unchanged, to the sum.
    diagram.arrow(ax, np.array(x_in) + (np.array([-0.15, -0.1]) if phone else np.array([0.05, 0.2])),
                  np.array(plus) + (np.array([-0.2, 0.0]) if phone else np.array([0.0, 0.2])),
                  colour=diagram.SKIP, width=2.2, connection=f"arc3,rad={0.6 if phone else -0.45}",
                  gid="residual_block-skip")
    ax.text(*(np.array(f_box) + (np.array([-1.25, 0.0]) if phone else np.array([0.0, 1.02]))),
            "skip: $x$ unchanged", ha="center", va="center", fontsize=size - 1, color=diagram.SKIP,
            rotation=90 if phone else 0)
    # The Jacobian, with the real numbers: I + dF/dx = J, laid out in one row (two on a phone).
    if phone:
        ax.text(width / 2, 2.4, "Jacobian:  $\\partial(x + F(x))/\\partial x = I + \\partial F/\\partial x$",
                ha="center", va="center", fontsize=11)
        at = {"identity": (0.8, 1.65), "+": (1.72, 1.65), "branch": (2.65, 1.65), "=": (0.85, 0.55), "jacobian": (1.75, 0.55)}
    else:
        ax.text(0.2, 1.35, "Jacobian:   $\\dfrac{\\partial(x + F(x))}{\\partial x}$  =  $I + \\dfrac{\\partial F}{\\partial x}$",
                ha="left", va="center", fontsize=13)
        at = {"identity": (0.8, 0.45), "+": (1.6, 0.45), "branch": (2.4, 0.45), "=": (3.2, 0.45), "jacobian": (4.0, 0.45)}
    for key, values, colour in (("identity", np.eye(2), style.OKABE_ITO["blue"]),
                                ("branch", dF, style.OKABE_ITO["vermillion"]), ("jacobian", J, style.OKABE_ITO["black"])):
        matrix(ax, labels, at[key], values, key, size, colour)
    for sign in ("+", "="):
        ax.text(*at[sign], sign, ha="center", va="center", fontsize=16)
    return fig, labels.values


def build(out):
    w, dF, J = block_jacobians()
    desktop, drawn = draw(dF, J, phone=False)
    phone, _ = draw(dF, J, phone=True)
    out.figure("residual_block", desktop, phone=phone)
    out.data("residual_block", {"setup": {"seed": SEED, "x": list(X), "init": "xavier", "units": 2},
                                "w": w.tolist(), "branch_jacobian": dF.tolist(), "jacobian": J.tolist(),
                                "drawn": drawn}, digits=12)
    out.number("largest_branch_entry", float(np.abs(dF).max()), digits=2)
    out.number("seed", SEED)
    out.number("x1", X[0])
    out.number("x2", X[1])
