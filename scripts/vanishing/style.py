"""One plotting style for every figure: colour-blind-safe, readable on a phone, deterministic.

Colours come from the Okabe-Ito palette, and every series also gets its own line style,
so figures survive greyscale printing and colour-vision deficiencies. Each activation
keeps one colour across the whole site.
"""

import os

import matplotlib

# Figure scripts draw off-screen, unless the environment chose a backend (Jupyter does:
# notebooks show their plots inline).
if not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

ACTIVATION_COLOURS = {
    "sigmoid": OKABE_ITO["vermillion"],
    "tanh": OKABE_ITO["orange"],
    "relu": OKABE_ITO["blue"],
    "leaky_relu": OKABE_ITO["sky_blue"],
    "elu": OKABE_ITO["green"],
    "gelu": OKABE_ITO["purple"],
}

ACTIVATION_LINESTYLES = {
    "sigmoid": "-",
    "tanh": "--",
    "relu": "-.",
    "leaky_relu": ":",
    "elu": (0, (5, 1)),
    "gelu": (0, (3, 1, 1, 1, 1, 1)),
}

RC_PARAMS = {
    # Determinism: fixed ids inside the SVG, no timestamps (see save in outputs.py).
    "svg.hashsalt": "vanishing-gradients",
    # Glyphs as shared paths: the figure looks the same on every device. (With "none",
    # mathtext primes come out in cmsy10, which browsers lack, and show as a "0".)
    "svg.fonttype": "path",
    "font.family": "sans-serif",
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "legend.fontsize": 11,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "lines.linewidth": 2.2,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.figsize": (6.4, 4.0),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.08,
}


def apply() -> None:
    """Reset matplotlib to the site style (call at the start of every figure)."""
    plt.rcdefaults()
    plt.rcParams.update(RC_PARAMS)


def notebook() -> None:
    """Inline plots in a Jupyter notebook: the site style, as sharp SVG without a date."""
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg", metadata={"Date": None})
    apply()


def figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """A new figure in the site style.

    Figures are 6.4 inches wide whatever the number of panels: on a phone a figure
    shrinks to about 350 px, and 12-point text in a wider figure becomes unreadable.
    Prefer stacking panels (nrows) to placing them side by side (ncols).
    """
    apply()
    kwargs.setdefault("figsize", (6.4, 3.6 * nrows if nrows > 1 else 4.0))
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, **kwargs)


def band(ax, x, samples, colour, label=None, linestyle="-", alpha=0.2, log=False):
    """Plot the median over seeds as a line and the min-max range as a shaded band.

    `samples` is shaped (seeds, len(x)). With log=True the median is taken of the
    logarithms, which is what a log-scale axis shows.
    """
    import numpy as np

    samples = np.asarray(samples)
    middle = np.exp(np.median(np.log(samples), axis=0)) if log else np.median(samples, axis=0)
    ax.fill_between(x, samples.min(axis=0), samples.max(axis=0), color=colour, alpha=alpha, linewidth=0)
    return ax.plot(x, middle, color=colour, linestyle=linestyle, label=label)[0]
