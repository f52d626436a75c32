"""A derivative is a slope: tangent lines to a curve, their slopes computed by `jax.grad`.

The curve is f(x) = x^3 / 3 - x. At three points we draw the tangent line, whose slope
f'(x) = x^2 - 1 comes from `jax.grad`: uphill (positive), downhill (negative) and flat
(zero, at the bottom of the valley). A step against the slope goes downhill.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import style

X_RANGE = (-2.2, 2.2)
POINTS = (-1.7, 0.0, 1.0)  # uphill, downhill, flat
COLOURS = ("vermillion", "blue", "green")
LINESTYLES = ("--", "-.", ":")


# --8<-- [start:derivative_as_slope]
def f(x):
    return x**3 / 3.0 - x


def taller(fig):
    """On a phone the four-line legend goes under the plot: give the plot back its height."""
    fig.set_size_inches(style.PHONE_WIDTH, fig.get_size_inches()[1] * 1.4)


def build(out):
    slope = jax.grad(f)  # the derivative, as a function: slope(x0) is f'(x0)
    # --8<-- [end:derivative_as_slope]
    x = jnp.linspace(*X_RANGE, 401)
    fig, ax = style.figure()
    ax.plot(x, f(x), color=style.OKABE_ITO["black"], label="$f(x) = x^3/3 - x$")
    slopes = []
    for x0, colour, ls in zip(POINTS, COLOURS, LINESTYLES):
        s = float(slope(x0))
        slopes.append(s)
        xs = np.linspace(x0 - 0.8, x0 + 0.8, 2)
        ax.plot(xs, float(f(x0)) + s * (xs - x0), color=style.OKABE_ITO[colour], linestyle=ls,
                label=f"tangent at $x = {x0:g}$: slope {s:.2f}".replace("slope -", "slope −"))
        ax.plot([x0], [float(f(x0))], "o", color=style.OKABE_ITO[colour], markersize=7)
    ax.set(xlabel="$x$", ylabel="$f(x)$", xlim=X_RANGE, ylim=(-1.6, 1.6),
           title="The derivative is the slope of the tangent line")
    fig.legend(loc="outside lower center", fontsize=10, ncols=2)
    out.figure("derivative_as_slope", fig, phone=taller)
    out.data("derivative_as_slope", {"points": list(POINTS), "slopes": slopes})
    for name, x0, s in zip(("uphill", "downhill", "flat"), POINTS, slopes):
        out.number(f"{name}_x", x0)
        out.number(f"{name}_slope", s)
