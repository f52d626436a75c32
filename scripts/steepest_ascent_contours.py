"""The gradient points uphill, across the contour lines: a 2-D landscape with `jax.grad` arrows.

Two figures. `steepest_ascent_contours.svg`: contour lines of a landscape f(x, y) with two
hills, and at a grid of points the gradient vector (df/dx, df/dy) drawn as an arrow. Every
arrow crosses the contour lines at a right angle and points uphill.
`steepest_ascent_contours_slopes.svg`: at one marked point P, the directional derivative
D_u f (the slope when we walk in the unit direction u, given in degrees from the x-axis)
computed by `jax.jvp`, next to ||grad f|| cos(theta), where theta is the angle between u
and the gradient: they agree, so the slope is largest straight along the gradient and
most negative straight against it.
"""

import jax
import jax.numpy as jnp
import numpy as np

from vanishing import style

X_RANGE = (-3.0, 3.0)
Y_RANGE = (-2.5, 2.5)
ARROW_GRID = (13, 11)  # arrows along x and along y
POINT = (-0.3, 1.4)  # the point P where we walk in every direction
ARROW_SCALE = 1.6  # every arrow, P's included, is drawn 1/ARROW_SCALE as long as the slope it stands for


# --8<-- [start:steepest_ascent_contours]
def f(v):
    """Two smooth hills: a tall one to the right, a lower one to the lower left."""
    x, y = v[0], v[1]
    return (jnp.exp(-((x - 1.0) ** 2 + 2.0 * (y - 0.5) ** 2) / 2.0)
            + 0.7 * jnp.exp(-((x + 1.3) ** 2 + (y + 0.9) ** 2) / 1.5))


grad_f = jax.grad(f)


def analytic_grad(v):
    """The same gradient by hand (the tests compare it with `jax.grad`)."""
    x, y = v[0], v[1]
    g1 = jnp.exp(-((x - 1.0) ** 2 + 2.0 * (y - 0.5) ** 2) / 2.0)
    g2 = 0.7 * jnp.exp(-((x + 1.3) ** 2 + (y + 0.9) ** 2) / 1.5)
    return jnp.stack([-(x - 1.0) * g1 - 2.0 * (x + 1.3) / 1.5 * g2,
                      -2.0 * (y - 0.5) * g1 - 2.0 * (y + 0.9) / 1.5 * g2])


def arrow_field():
    """Grid points and the gradient at each, shaped (n, 2) and (n, 2)."""
    gx, gy = np.meshgrid(np.linspace(*X_RANGE, ARROW_GRID[0]), np.linspace(*Y_RANGE, ARROW_GRID[1]))
    points = jnp.stack([gx.ravel(), gy.ravel()], axis=1)
    return points, jax.jit(jax.vmap(grad_f))(points)


def directional_derivatives(point, angles):
    """D_u f(point) for u = (cos angle, sin angle), the angle measured from the x-axis, by forward-mode autodiff (jvp)."""
    def along(angle):
        u = jnp.stack([jnp.cos(angle), jnp.sin(angle)])
        return jax.jvp(f, (point,), (u,))[1]
    return jax.jit(jax.vmap(along))(angles)
# --8<-- [end:steepest_ascent_contours]


def fewer_direction_ticks(fig):
    """On a phone, tick the walking direction every 90 degrees (every 60 crowds the axis)."""
    fig.axes[0].set_xticks(range(-180, 181, 90))


def build(out):
    xs, ys = np.linspace(*X_RANGE, 241), np.linspace(*Y_RANGE, 201)
    gx, gy = np.meshgrid(xs, ys)
    values = np.asarray(jax.jit(jax.vmap(f))(jnp.stack([gx.ravel(), gy.ravel()], axis=1))).reshape(gx.shape)
    points, grads = arrow_field()
    p = jnp.array(POINT)
    g = grad_f(p)
    g_norm = float(jnp.linalg.norm(g))
    grad_angle = float(jnp.arctan2(g[1], g[0]))
    angles = jnp.linspace(-np.pi, np.pi, 361)
    slopes = directional_derivatives(p, angles)

    fig, ax = style.figure(figsize=(6.4, 5.6))
    contours = ax.contour(gx, gy, values, levels=12, cmap="viridis", linewidths=1.2)
    ax.clabel(contours, contours.levels[1::3], fontsize=9, fmt="%.2f")
    ax.quiver(points[:, 0], points[:, 1], grads[:, 0], grads[:, 1], color=style.OKABE_ITO["black"],
              angles="xy", scale_units="xy", scale=ARROW_SCALE, width=0.004)
    ax.quiver([POINT[0]], [POINT[1]], [g[0]], [g[1]], color=style.OKABE_ITO["vermillion"],
              angles="xy", scale_units="xy", scale=ARROW_SCALE, width=0.006, headwidth=3.5,
              headlength=4, headaxislength=3.5, zorder=3)
    ax.plot(*POINT, "o", color=style.OKABE_ITO["vermillion"], markersize=5.5, zorder=4)
    ax.annotate("P", POINT, xytext=(-14, 6), textcoords="offset points", fontsize=13,
                color=style.OKABE_ITO["vermillion"])
    ax.set(xlabel="$x$", ylabel="$y$", aspect="equal", xlim=X_RANGE, ylim=Y_RANGE,
           title="Contours of $f(x, y)$ and gradient arrows $\\nabla f$")
    ax.grid(False)
    out.figure("steepest_ascent_contours", fig)

    fig, ax_d = style.figure(figsize=(6.4, 4.0))
    deg = np.degrees(np.asarray(angles))
    ax_d.plot(deg, slopes, color=style.OKABE_ITO["blue"], label="$D_u f$ at P, by jax.jvp")
    ax_d.plot(deg, g_norm * np.cos(np.asarray(angles) - grad_angle), color=style.OKABE_ITO["orange"],
              linestyle="--", label="$\\Vert\\nabla f\\Vert\\cos\\theta$, $\\theta$: angle to $\\nabla f$")
    ax_d.axvline(np.degrees(grad_angle), color=style.OKABE_ITO["vermillion"], linestyle=":", linewidth=1.5)
    ax_d.annotate("direction of $\\nabla f$", (np.degrees(grad_angle), 0.0),
                  xytext=(5, 0), textcoords="offset points", fontsize=10)
    ax_d.set(xlabel="walking direction (degrees from the $x$-axis)", ylabel="slope $D_u f$",
             xlim=(-180, 180), xticks=range(-180, 181, 60), title="Slope at P in every direction")
    style.legend_below(ax_d, ncols=1, fontsize=10)
    out.figure("steepest_ascent_contours_slopes", fig, phone=fewer_direction_ticks)

    out.data("steepest_ascent_contours", {
        "points": np.asarray(points).tolist(), "gradients": np.asarray(grads).tolist(),
        "direction_radians": np.asarray(angles).tolist(), "directional_derivative": np.asarray(slopes).tolist(),
    })
    out.number("point_x", POINT[0])
    out.number("point_y", POINT[1])
    out.number("grad_x", float(g[0]), digits=3)
    out.number("grad_y", float(g[1]), digits=3)
    out.number("grad_norm", g_norm, digits=3)
    out.number("grad_angle_degrees", round(np.degrees(grad_angle)))
    out.number("max_slope", float(jnp.max(slopes)), digits=3)
    out.number("arrow_map_length", 1.0 / ARROW_SCALE, digits=3)  # map units per unit of slope
    out.number("max_slope_angle_degrees", round(float(deg[int(jnp.argmax(slopes))])))
