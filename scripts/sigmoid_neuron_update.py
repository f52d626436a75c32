"""One sigmoid neuron, one example, one gradient-descent step, worked out in numbers.

Forward: z = w x + b, a = sigma(z), loss L = (a - y)^2 / 2 (a script L on the page and in
the figure). Backward by the chain rule: dL/dw = (a - y) sigma'(z) x and
dL/db = (a - y) sigma'(z). `jax.grad` computes the same numbers; the tests compare both
with finite differences. Top panel: the loss as a function of w (b held fixed), its
tangent at the current w, and where the weight's step lands (the square: w after one
step, b unchanged). Bottom: the loss over many steps, which slows down as the neuron's
output approaches 1 and sigma' shrinks: a first glimpse of saturation.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import style
from vanishing.outputs import markdown_table

X, Y = 1.5, 1.0  # one input and its target
W0, B0 = -0.5, 0.2  # starting weight and bias
LR = 1.0
STEPS = 200  # for the bottom panel


# --8<-- [start:sigmoid_neuron_update]
def forward(w, b, x=X):
    z = w * x + b
    return z, jax.nn.sigmoid(z)


def loss(params, x=X, y=Y):
    w, b = params
    _, a = forward(w, b, x)
    return 0.5 * (a - y) ** 2


def hand_gradient(w, b, x=X, y=Y):
    """The chain rule written out: (a - y) * sigma'(z) * x for w, without the x for b."""
    z, a = forward(w, b, x)
    dz = (a - y) * a * (1.0 - a)
    return dz * x, dz


def worked_step(w=W0, b=B0, lr=LR) -> dict:
    """Every intermediate number of one update, computed in float64."""
    params = jnp.array([w, b])
    z, a = forward(w, b)
    grad = jax.grad(loss)(params)
    hand_w, hand_b = hand_gradient(w, b)
    new = params - lr * grad
    return {
        "z": float(z), "a": float(a), "loss": float(loss(params)),
        "sigma_prime": float(a * (1 - a)), "error": float(a - Y),
        "dl_dz": float((a - Y) * a * (1 - a)),
        "grad_w": float(grad[0]), "grad_b": float(grad[1]),
        "hand_grad_w": float(hand_w), "hand_grad_b": float(hand_b),
        "new_w": float(new[0]), "new_b": float(new[1]), "new_loss": float(loss(new)),
        "new_a": float(forward(new[0], new[1])[1]),
    }


def train(steps=STEPS) -> np.ndarray:
    grad = jax.grad(loss)

    def step(p, _):
        p = p - LR * grad(p)
        return p, p

    _, ps = jax.jit(lambda p0: jax.lax.scan(step, p0, None, length=steps))(jnp.array([W0, B0]))
    return np.asarray(jnp.concatenate([jnp.array([[W0, B0]]), ps]))
# --8<-- [end:sigmoid_neuron_update]


def fmt(v: float) -> str:
    return f"{v:.4f}".replace("-", "−")


def build(out):
    s = worked_step()
    path = train()
    losses = np.asarray(jax.jit(jax.vmap(loss))(jnp.asarray(path)))
    outputs = np.asarray(jax.nn.sigmoid(path[:, 0] * X + path[:, 1]))

    fig, (ax, ax_t) = style.figure(2, 1)
    ws = np.linspace(-2.5, 3.5, 301)
    curve = jax.jit(jax.vmap(lambda w: loss(jnp.stack([w, jnp.asarray(B0)]))))(jnp.asarray(ws))
    ax.plot(ws, np.asarray(curve), color=style.OKABE_ITO["black"],
            label=f"$\\mathcal{{L}}(w)$ with $b = {B0:g}$")
    span = np.array([W0 - 0.9, W0 + 0.9])
    ax.plot(span, s["loss"] + s["grad_w"] * (span - W0), color=style.OKABE_ITO["vermillion"], linestyle="--",
            label=f"tangent: slope $\\partial \\mathcal{{L}}/\\partial w$ = {s['grad_w']:.3f}".replace("= -", "= −"))
    ax.plot([W0], [s["loss"]], "o", color=style.OKABE_ITO["vermillion"], markersize=8)
    new_w_loss = float(loss(jnp.array([s["new_w"], B0])))
    ax.annotate("", xy=(s["new_w"], new_w_loss), xytext=(W0, s["loss"]),
                arrowprops=dict(arrowstyle="->", color=style.OKABE_ITO["blue"], linewidth=2))
    ax.plot([s["new_w"]], [new_w_loss], "s", color=style.OKABE_ITO["blue"], markersize=7,
            label=f"after one step: $w$ = {s['new_w']:.3f}, $b$ unchanged".replace("= -", "= −"))
    ax.set(xlabel="weight $w$", ylabel="loss $\\mathcal{L}$", title="One step of gradient descent on $w$")
    ax.legend(loc="upper right", fontsize=10)

    ax_t.plot(np.arange(STEPS + 1), losses, color=style.OKABE_ITO["blue"], label="loss $\\mathcal{L}$")
    ax_t.plot(np.arange(STEPS + 1), outputs * (1 - outputs), color=style.OKABE_ITO["orange"], linestyle="--",
              label="the sigmoid's slope $\\sigma'(z) = a(1-a)$")
    ax_t.set_yscale("log")
    ax_t.set(xlabel="step", ylabel="value (log scale)", title=f"{STEPS} steps on the same example, lr = {LR:g}")
    ax_t.legend(loc="upper right", fontsize=10)
    out.figure("sigmoid_neuron_update", fig)

    rows = [
        ["input $x$, target $y$", "given", f"{X:g}, {Y:g}"],
        ["weight $w$, bias $b$", "starting values", f"{fmt(W0)}, {fmt(B0)}"],
        ["pre-activation $z$", "$w x + b$", fmt(s["z"])],
        ["output $a$", "$\\sigma(z) = 1/(1 + e^{-z})$", fmt(s["a"])],
        ["loss $\\mathcal{L}$", "$(a - y)^2 / 2$", fmt(s["loss"])],
        ["error $a - y$", "$\\partial \\mathcal{L} / \\partial a$", fmt(s["error"])],
        ["slope $\\sigma'(z)$", "$a (1 - a)$", fmt(s["sigma_prime"])],
        ["$\\partial \\mathcal{L} / \\partial z$", "$(a - y)\\,\\sigma'(z)$", fmt(s["dl_dz"])],
        ["$\\partial \\mathcal{L} / \\partial w$", "$(a - y)\\,\\sigma'(z)\\,x$", fmt(s["grad_w"])],
        ["$\\partial \\mathcal{L} / \\partial b$", "$(a - y)\\,\\sigma'(z)$", fmt(s["grad_b"])],
        ["new weight $w'$", f"$w - \\eta\\,\\partial \\mathcal{{L}}/\\partial w$, $\\eta = {LR:g}$", fmt(s["new_w"])],
        ["new bias $b'$", "$b - \\eta\\,\\partial \\mathcal{L}/\\partial b$", fmt(s["new_b"])],
        ["new output $a'$", "$\\sigma(w' x + b')$", fmt(s["new_a"])],
        ["new loss $\\mathcal{L}'$", "$(a' - y)^2 / 2$", fmt(s["new_loss"])],
    ]
    out.table("sigmoid_neuron_update", markdown_table(["Quantity", "Formula", "Value"], rows, align="llr"))
    out.data("sigmoid_neuron_update", {"x": X, "y": Y, "w0": W0, "b0": B0, "lr": LR, "step": s,
                                       "loss_curve": losses.tolist()})

    for key, value in (("x", X), ("y", Y), ("w0", W0), ("b0", B0), ("lr", LR), ("steps", STEPS)):
        out.number(key, value)
    for key in ("z", "a", "loss", "sigma_prime", "error", "grad_w", "grad_b", "new_w", "new_b",
                "new_loss", "new_a"):
        out.number(key, s[key], digits=4)
    out.number("final_loss", float(losses[-1]), digits=2)
    out.number("final_a", float(outputs[-1]), digits=3)
    slopes = outputs * (1 - outputs)  # sigma'(z) along the run: first up to its peak (z passes 0), then down
    out.number("peak_sigma_prime", float(slopes.max()), digits=2)
    out.number("final_sigma_prime", float(slopes[-1]), digits=2)
