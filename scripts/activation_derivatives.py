"""Sigmoid, tanh and ReLU next to their derivatives: the factors the chain rule multiplies.

Top panel: the functions. Bottom panel: their slopes, computed by `jax.grad` (and
checked against the closed forms in the tests). The sigmoid's slope never exceeds 1/4;
tanh's reaches 1 only at z = 0; both fall towards 0 as |z| grows (saturation). ReLU's
slope is exactly 1 for every positive input.
"""

import jax
import jax.numpy as jnp

from vanishing import activations, style

SHOWN = ("sigmoid", "tanh", "relu")
Z_RANGE = (-6.0, 6.0)
SATURATION_Z = 5  # where we quote how small the saturated slopes have become


def build(out):
    # --8<-- [start:activation_derivatives]
    z = jnp.linspace(*Z_RANGE, 601)
    curves = {}
    for name in SHOWN:
        act = activations.get(name)
        slope = jax.vmap(jax.grad(act.fn))(z)
        curves[name] = {"value": act.fn(z), "slope": slope}
    # --8<-- [end:activation_derivatives]

    fig, (ax_f, ax_d) = style.figure(2, 1, sharex=True)
    for name in SHOWN:
        act = activations.get(name)
        kw = dict(color=style.ACTIVATION_COLOURS[name], linestyle=style.ACTIVATION_LINESTYLES[name], label=act.label)
        ax_f.plot(z, curves[name]["value"], **kw)
        ax_d.plot(z, curves[name]["slope"], **kw)
    ax_f.set(title="Activation  $\\phi(z)$", ylabel="$\\phi(z)$", ylim=(-1.2, 3.2))
    ax_d.set(title="Derivative  $\\phi'(z)$", xlabel="pre-activation $z$", ylabel="$\\phi'(z)$", ylim=(-0.05, 1.15))
    ax_d.axhline(0.25, color=style.OKABE_ITO["black"], linewidth=1, linestyle=":")
    ax_d.annotate("sigmoid's maximum: 1/4", xy=(Z_RANGE[0] + 0.2, 0.27), fontsize=10)
    ax_f.legend(loc="upper left")
    out.figure("activation_derivatives", fig)

    out.data(
        "activation_derivatives",
        {"z": z.tolist(), **{n: {k: v.tolist() for k, v in c.items()} for n, c in curves.items()}},
    )
    sigmoid_slope = jax.grad(activations.get("sigmoid").fn)
    tanh_slope = jax.grad(jnp.tanh)
    out.number("sigmoid_max_slope", float(jnp.max(curves["sigmoid"]["slope"])))
    out.number("tanh_max_slope", float(jnp.max(curves["tanh"]["slope"])))
    out.number("saturation_z", SATURATION_Z)
    out.number("sigmoid_slope_at_saturation", float(sigmoid_slope(float(SATURATION_Z))), digits=2)
    out.number("tanh_slope_at_saturation", float(tanh_slope(float(SATURATION_Z))), digits=2)
