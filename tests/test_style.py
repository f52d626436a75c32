"""The plotting style's one piece of machinery: mathtext parses shared between renderers."""

import json
import subprocess
import sys
import textwrap

FIGURE_TWICE_THEN_WITHOUT_SHARING = textwrap.dedent(r"""
    import io, json
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import _mathtext, mathtext
    per_parser = mathtext.MathTextParser._parse_cached  # matplotlib's own cache, before the style's
    from vanishing import style

    parses = []
    parse = _mathtext.Parser.parse
    _mathtext.Parser.parse = lambda self, s, *args: parses.append(s) or parse(self, s, *args)

    def svg():
        fig, ax = style.figure()
        ax.plot([1, 2], [1e-6, 1e2])
        ax.set(yscale="log", ylabel="gradient $\|\partial L / \partial W_l\|$")
        text = io.StringIO()
        fig.savefig(text, format="svg", metadata={"Date": None})
        matplotlib.pyplot.close(fig)
        return text.getvalue()

    first = svg()
    after_first = len(parses)
    second = svg()
    after_second = len(parses)
    mathtext.MathTextParser._parse_cached = per_parser
    print(json.dumps({"same": first == second == svg(), "first": after_first, "second": after_second - after_first,
                      "unshared": len(parses) - after_second}))
""")


def test_a_formula_is_parsed_once_per_process_and_drawn_as_matplotlib_draws_it():
    """A second figure with the same tick labels and axis label parses nothing again (with
    matplotlib's own cache, every new renderer parses them anew), and the SVG is byte for
    byte the one matplotlib's own cache gives."""
    run = subprocess.run([sys.executable, "-c", FIGURE_TWICE_THEN_WITHOUT_SHARING], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["same"]
    assert result["first"] > 0 and result["unshared"] > 0, "the figure has formulas to parse"
    assert result["second"] == 0


def test_a_legend_placed_below_before_the_layout_sits_just_under_the_x_label():
    """`legend_below` is called while a figure is being made, before any layout: the legend
    must end up under the x-axis label where the layout puts it, not where it was made."""
    import matplotlib

    matplotlib.use("Agg")
    from vanishing import style

    fig, (top, bottom) = style.figure(2, 1)
    for ax in (top, bottom):
        ax.plot([0, 1], [0, 1], label="a line")
        ax.set(xlabel="step $k$")
    legend = style.legend_below(top)
    style.draw(fig)
    renderer = fig.canvas.get_renderer()
    gap = (top.xaxis.label.get_window_extent(renderer).y0 - legend.get_window_extent(renderer).y1) * 72 / fig.dpi
    matplotlib.pyplot.close(fig)
    assert 0 <= gap <= 12, f"{gap:.1f} points between the x label and the legend"
