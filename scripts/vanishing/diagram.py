"""Drawing blocks for the mechanism diagrams: nodes, arrows, and arrows as thick as a signal.

Diagrams are drawn in inches (the axes' data coordinates are the figure's inches, axes
hidden), so a script places boxes and arrows by position on the page and gets the same
look on the desktop and the phone canvas. Every element a widget or a test needs to find
gets a `gid`, which matplotlib writes as the id of its SVG group.
"""

import math

from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from . import style

FORWARD = style.OKABE_ITO["black"]
BACKWARD = style.OKABE_ITO["vermillion"]
SKIP = style.OKABE_ITO["blue"]
HIGHLIGHT = style.OKABE_ITO["orange"]


def canvas(width: float, height: float):
    """A blank figure whose data coordinates are inches from its lower-left corner."""
    style.apply()
    fig = style.plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xlim=(0, width), ylim=(0, height))
    ax.set_axis_off()
    return fig, ax


def node(ax, xy, text, gid=None, radius=0.26, colour=FORWARD, face="white", fontsize=13):
    """A round neuron with a label inside."""
    ax.add_patch(Circle(xy, radius, facecolor=face, edgecolor=colour, linewidth=1.8, gid=gid, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, zorder=4)


def box(ax, xy, size, text, gid=None, colour=FORWARD, face="white", fontsize=12, linewidth=1.6):
    """A rounded box centred at xy with a label inside."""
    (x, y), (w, h) = xy, size
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                facecolor=face, edgecolor=colour, linewidth=linewidth, gid=gid, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4)


def arrow(ax, start, end, gid=None, colour=FORWARD, width=1.6, style_="-|>", connection="arc3", shrink=0.0,
          linestyle="-", zorder=2):
    """An arrow from start to end (inches); `width` is the line width in points."""
    head = f",head_length={2.5 + width},head_width={1.5 + width * 0.8}" if ">" in style_ else ""
    patch = FancyArrowPatch(start, end, arrowstyle=f"{style_}{head}",
                            connectionstyle=connection, color=colour, linewidth=width, linestyle=linestyle,
                            shrinkA=shrink, shrinkB=shrink, gid=gid, zorder=zorder, mutation_scale=1)
    ax.add_patch(patch)
    return patch


def signal_width(size: float, decades: float = 4.0, widest: float = 7.0, thinnest: float = 0.7) -> float:
    """Line width for a signal of this size, on a log scale: 1 is widest, 10^-decades thinnest."""
    if size <= 0 or not math.isfinite(size):
        return thinnest
    fraction = min(1.0, max(0.0, 1.0 + math.log10(size) / decades))
    return thinnest + (widest - thinnest) * fraction
