"""The backward pass through a chain of single sigmoid neurons, drawn with its real numbers.

One random draw (seed SEED) of a chain of DEPTH sigmoid neurons, h_l = sigma(w_l h_{l-1} + b_l),
standard-normal weights, zero biases, input INPUT. Forward arrows carry h_l to the right;
backward arrows carry the error signal dL/dh_l to the left. Each backward step multiplies
by one factor, dh_l/dh_{l-1} = w_l sigma'(z_l); each arrow is labelled with that factor and
with the running product dL/dh_{l-1} / dL/dh_L, and is as thick as the running product on
a log scale. The running products come from autodiff (`jax.grad` with respect to zero
probes on every h_l, as in gradients.py), the factors from the forward pass; the test
checks that the products of the factors are the autodiff numbers.

The second diagram (_residual) is the same chain with skip connections,
h_l = h_{l-1} + sigma(w_l h_{l-1} + b_l) for l >= 2, same weights: each backward step now
multiplies by 1 + w_l sigma'(z_l), the identity path plus the branch.

Both are also the data of chapter 2's step-through widget (backprop-stepper.js).
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import activations, diagram, losses, networks, style

DEPTH, SEED, INPUT, TARGET = 6, 0, 0.5, 0.0
INIT = "standard_normal"


# --8<-- [start:backprop_chain]
@functools.partial(jax.jit, static_argnums=0)
def chain(residual: bool) -> dict:
    """Factors, signals and products of one chain of single sigmoid neurons."""
    cfg = networks.MLPConfig(depth=DEPTH, width=1, in_dim=1, out_dim=1, activation="sigmoid", init=INIT,
                             residual=residual)
    params = networks.init_params(jax.random.PRNGKey(SEED), cfg)
    x, y = jnp.array([[INPUT]]), jnp.array([[TARGET]])

    def loss(probes):  # zero probes on every h_l: d loss / d probe_l = dL/dh_l
        return losses.get("mse")(networks.forward(params, cfg, x, probes)[0], y)

    signal = jax.grad(loss)(jnp.zeros((DEPTH, 1, 1)))[:, 0, 0]           # dL/dh_l, l = 1..DEPTH
    _, trace = networks.forward(params, cfg, x)
    z = trace["z"][:, 0, 0]
    w = jnp.concatenate([params["w_in"].ravel(), params["w_hidden"].ravel()])  # w_1 .. w_DEPTH
    branch = w[1:] * activations.get("sigmoid").derivative(z[1:])         # w_l sigma'(z_l), l = 2..DEPTH
    factor = 1.0 + branch if residual else branch                         # dh_l / dh_{l-1}
    return {"w": w, "z": z, "h": trace["h"][:, 0, 0], "signal": signal, "branch": branch, "factor": factor,
            "product": signal / signal[-1]}                                # dL/dh_l relative to the last layer
# --8<-- [end:backprop_chain]


def draw(c: dict, residual: bool, phone: bool):
    """Neurons in a row (desktop) or a column (phone): forward arrows along the chain, the
    backward arrows beside it, each backward step labelled with its factor, each neuron
    with the running product (its error signal relative to the last neuron's)."""
    prefix = "backprop_chain_residual" if residual else "backprop_chain"
    labels = style.Labels(prefix)
    n, r = DEPTH, 0.27
    if phone:  # a column, input at the top; backward arrows and labels to the right
        step = 0.95
        width, height = style.PHONE_WIDTH, step * (n + 1) + 1.1
        at = [np.array([0.8, height - 0.45 - step * i]) for i in range(n + 2)]
        back, label_side, big = np.array([0.5, 0.0]), np.array([0.75, 0.0]), 13.5
        text_kw = {"ha": "left", "va": "center"}
    else:  # a row, input on the left; backward arrows and factors below, products above
        step = 0.95
        width, height = 7.6, 2.9 if residual else 2.5
        at = [np.array([0.35 + step * i, 1.45]) for i in range(n + 2)]
        back, label_side, big = np.array([0.0, -0.5]), np.array([0.0, -0.82]), 11
        text_kw = {"ha": "center", "va": "center"}
    product_side = label_side if phone else np.array([0.0, 0.95 if residual else 0.5])
    along = (at[1] - at[0]) / step
    fig, ax = diagram.canvas(width, height)
    ax.text(*at[0], "$x$", ha="center", va="center", fontsize=14)
    for l in range(1, n + 1):
        diagram.node(ax, at[l], f"$h_{l}$", gid=f"{prefix}-neuron-{l}", radius=r, fontsize=14 if phone else 13)
    diagram.box(ax, at[n + 1], (0.46, 0.4), "$\\mathcal{L}$", gid=f"{prefix}-loss", fontsize=14)
    for i in range(n + 1):  # forward, along the chain
        diagram.arrow(ax, at[i] + along * (0.16 if i == 0 else r), at[i + 1] - along * (0.24 if i == n else r),
                      colour=diagram.FORWARD, width=1.2)
        if residual and 1 <= i < n:  # the skip connection from h_i around neuron i + 1
            outside = -back / np.linalg.norm(back) * r * 0.75
            diagram.arrow(ax, at[i] + outside, at[i + 1] + outside, colour=diagram.SKIP, width=1.4,
                          connection=f"arc3,rad={0.6 if phone else -0.6}", gid=f"{prefix}-skip-{i + 1}")
    # Backward: dL/dh_n arrives from the loss (relative size 1), then one factor per neuron.
    diagram.arrow(ax, at[n + 1] + back - along * 0.2, at[n] + back, colour=diagram.BACKWARD,
                  width=diagram.signal_width(1.0), gid=f"{prefix}-arrow-{n + 1}")
    labels.text(ax, *(at[n] + product_side), 1.0, "{}", key=f"product-{n}", fontsize=big,
                **text_kw)
    for l in range(n, 1, -1):  # from h_l back to h_{l-1}
        product = float(c["product"][l - 2])  # dL/dh_{l-1} relative to dL/dh_n
        diagram.arrow(ax, at[l] + back, at[l - 1] + back, colour=diagram.BACKWARD,
                      width=diagram.signal_width(abs(product)), gid=f"{prefix}-arrow-{l}")
        middle = (at[l] + at[l - 1]) / 2 + label_side
        if residual:
            labels.text(ax, *middle, c["branch"][l - 2], "$\\times$(1{})", key=f"factor-{l}", fontsize=12 if phone else 10.5, sign=True,
                        color=diagram.BACKWARD, **text_kw)
        else:
            labels.text(ax, *middle, c["factor"][l - 2], "$\\times${}", key=f"factor-{l}", fontsize=12 if phone else 11,
                        color=diagram.BACKWARD, **text_kw)
        labels.text(ax, *(at[l - 1] + product_side), product, "{}", key=f"product-{l - 1}", fontsize=big, **text_kw)
    return fig, labels.values


def build(out):
    drawn, data = {}, {}
    for residual, stem in ((False, "backprop_chain"), (True, "backprop_chain_residual")):
        c = {k: np.asarray(v) for k, v in chain(residual).items()}
        desktop, values = draw(c, residual, phone=False)
        phone, _ = draw(c, residual, phone=True)
        out.figure(stem, desktop, phone=phone)
        drawn.update(values)
        data["residual" if residual else "plain"] = {k: v.tolist() for k, v in c.items()}
    out.data("backprop_chain", {"setup": {"depth": DEPTH, "seed": SEED, "input": INPUT, "target": TARGET,
                                          "init": INIT, "loss": "mse"}, **data, "drawn": drawn}, digits=12)
    plain, residual = data["plain"], data["residual"]
    out.number("depth", DEPTH)
    out.number("seed", SEED)
    out.number("input", INPUT)
    out.number("first_product", plain["product"][0], digits=2)
    out.number("residual_first_product", residual["product"][0], digits=2)
    out.number("largest_factor", max(abs(f) for f in plain["factor"]), digits=2)
