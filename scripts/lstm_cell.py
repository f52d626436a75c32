"""A vanilla RNN cell next to an LSTM cell, and both unrolled through time with their real gradients.

The cell diagram (lstm_cell): the RNN squeezes its whole state through tanh at every step;
the LSTM keeps a separate cell state c_t on a path of its own (highlighted), which each
step only multiplies by the forget gate f_t (highlighted) and adds to. Backwards along
that path, dc_t/dc_{t-1} contains f_t directly: no squashing slope, no weight matrix.

The unrolled view (lstm_cell_unrolled): the error signal reaching earlier steps of one
adding-problem batch (LENGTH steps, HIDDEN units, seed SEED, at initialization), relative
to the last step, every EVERY steps back: the RNN's ||dL/dh_t||, and the LSTM's
||dL/dc_t|| with the usual forget bias 1 and with a forget bias of 4 (gate open,
sigma(4) = 0.98). Arrows are as thick as the signal on a log scale.
"""

import functools

import jax
import numpy as np

from vanishing import data, diagram, recurrent, style

LENGTH, HIDDEN, BATCH, SEED = 31, 32, 64, 0
EVERY = 5
OPEN_FORGET_BIAS = 4.0
ROWS = (("rnn", "vanilla RNN: $h_t$", recurrent.FORGET_BIAS),
        ("lstm", f"LSTM, forget bias {recurrent.FORGET_BIAS:g}: $c_t$", recurrent.FORGET_BIAS),
        ("lstm_open", f"LSTM, forget bias {OPEN_FORGET_BIAS:g}: $c_t$", OPEN_FORGET_BIAS))


# --8<-- [start:lstm_cell]
def signals() -> dict[str, np.ndarray]:
    """Error signal at every step, relative to the last step: RNN h_t, LSTM c_t."""
    xs, ys = data.adding_problem(jax.random.PRNGKey(SEED), BATCH, LENGTH)

    @functools.partial(jax.jit, static_argnums=0)  # one compilation per kind; the bias is an argument
    def relative(kind, forget_bias):
        cfg = recurrent.RecurrentConfig(kind=kind, input_dim=2, hidden=HIDDEN, output_dim=1)
        params = recurrent.init_params(jax.random.PRNGKey(SEED), cfg)
        if kind == "lstm":  # the gates' biases are stacked [i, f, o, g]: set the forget gate's
            params["b"] = params["b"].at[HIDDEN:2 * HIDDEN].set(forget_bias)
        g = recurrent.hidden_state_gradients(params, cfg, xs, ys)["h" if kind == "rnn" else "c"]
        return g / g[-1]

    return {name: np.asarray(relative("rnn" if name == "rnn" else "lstm", forget_bias))
            for name, _, forget_bias in ROWS}
# --8<-- [end:lstm_cell]


def draw_cells(phone: bool):
    """The RNN cell and the LSTM cell, side by side (stacked on a phone)."""
    if phone:
        fig, ax = diagram.canvas(style.PHONE_WIDTH, 6.4)
        rnn_origin, lstm_origin = np.array([0.35, 4.3]), np.array([0.1, 0.35])
    else:
        fig, ax = diagram.canvas(6.6, 2.9)
        rnn_origin, lstm_origin = np.array([0.15, 0.45]), np.array([2.75, 0.3])
    sym = 14 if phone else 12  # labels with subscripts: the subscript is drawn at 70 %
    o = rnn_origin  # the RNN cell: one tanh box
    ax.text(*(o + [1.2, 1.85]), "vanilla RNN cell", ha="center", fontsize=12, fontweight="bold")
    diagram.box(ax, o + [1.2, 0.85], (0.9, 0.5), "tanh", gid="lstm_cell-rnn-tanh")
    diagram.arrow(ax, o + [0.0, 0.85], o + [0.75, 0.85], width=1.5)
    ax.text(*(o + [0.0, 1.05]), "$h_{t-1}$", fontsize=sym)
    diagram.arrow(ax, o + [1.2, -0.1], o + [1.2, 0.6], width=1.5)
    ax.text(*(o + [1.3, -0.15]), "$x_t$", fontsize=sym)
    diagram.arrow(ax, o + [1.65, 0.85], o + [2.35, 0.85], width=1.5)
    ax.text(*(o + [1.8, 1.05]), "$h_t$", fontsize=sym)
    o = lstm_origin  # the LSTM cell: the cell-state path on top, the gates below
    cell_y, gate_y = 1.95, 0.95
    ax.text(*(o + [1.9, 2.45]), "LSTM cell", ha="center", fontsize=12, fontweight="bold")
    diagram.arrow(ax, o + [0.05, cell_y], o + [3.7, cell_y], colour=diagram.SKIP, width=4.5,
                  gid="lstm_cell-cell-path")
    ax.text(*(o + [0.05, cell_y + 0.15]), "$c_{t-1}$", fontsize=sym, color=diagram.SKIP)
    ax.text(*(o + [3.35, cell_y + 0.15]), "$c_t$", fontsize=sym, color=diagram.SKIP)
    for x, sign in ((0.95, "×"), (1.95, "+")):
        ax.add_patch(style.plt.Circle(o + [x, cell_y], 0.17, facecolor="white", edgecolor=style.OKABE_ITO["black"],
                                      linewidth=1.4, zorder=3))
        ax.text(*(o + [x, cell_y]), sign, ha="center", va="center", fontsize=13, zorder=4)
    gates = (("forget\n$f_t$" if not phone else "forget", 0.95, diagram.HIGHLIGHT, "lstm_cell-forget-gate"),
             ("input\n$i_t$" if not phone else "input", 1.6, style.OKABE_ITO["black"], "lstm_cell-input-gate"),
             ("new\ntanh" if not phone else "new", 2.3, style.OKABE_ITO["black"], "lstm_cell-candidate"),
             ("output\n$o_t$" if not phone else "output", 3.0, style.OKABE_ITO["black"], "lstm_cell-output-gate"))
    for text, x, colour, gid in gates:
        diagram.box(ax, o + [x, gate_y], (0.6, 0.5), text, gid=gid, colour=colour, fontsize=10 if not phone else 11,
                    linewidth=3 if colour == diagram.HIGHLIGHT else 1.4,
                    face="#fdf0d5" if colour == diagram.HIGHLIGHT else "white")
    diagram.arrow(ax, o + [0.95, gate_y + 0.25], o + [0.95, cell_y - 0.17], colour=diagram.HIGHLIGHT, width=2.5)
    diagram.arrow(ax, o + [1.95, gate_y + 0.25], o + [1.95, cell_y - 0.17], width=1.3, connection="arc3,rad=0")
    diagram.arrow(ax, o + [0.2, 0.2], o + [3.2, 0.2], width=1.3, style_="-")
    ax.text(*(o + [0.05, 0.3]), "$h_{t-1}$, $x_t$", fontsize=sym)
    for x in (0.95, 1.6, 2.3, 3.0):
        diagram.arrow(ax, o + [x, 0.2], o + [x, gate_y - 0.25], width=1.1)
    diagram.arrow(ax, o + [3.3, gate_y], o + [3.8, gate_y], width=1.3)
    ax.text(*(o + [3.55, gate_y + 0.12]), "$h_t$", fontsize=sym)
    return fig


def draw_unrolled(rel: dict, phone: bool):
    """One row per network; one column per EVERY steps back; arrows as thick as the signal."""
    labels = style.Labels("lstm_cell_unrolled")
    back = list(range(0, LENGTH, EVERY))  # steps back from the last step: 0, 5, 10, ...
    columns = len(back)
    if phone:
        width, row_height, left, step = style.PHONE_WIDTH, 1.55, 0.35, 0.52
    else:
        width, row_height, left, step = 6.6, 1.05, 0.55, 0.95
    height = row_height * len(ROWS) + 0.6
    fig, ax = diagram.canvas(width, height)
    size = 13 if phone else 11
    for r, (name, title, _) in enumerate(ROWS):
        y = height - 0.75 - r * row_height
        ax.text(0.1, y + 0.42, title, fontsize=13.5 if phone else 11, ha="left", va="center")
        xs = [left + step * (columns - 1 - c) for c in range(columns)]  # the last step on the right
        for c, k in enumerate(back):
            t = LENGTH - 1 - k
            value = float(rel[name][t])
            ax.add_patch(style.plt.Circle((xs[c], y), 0.1, color=diagram.SKIP if name != "rnn" else "0.3", zorder=3))
            labels.text(ax, xs[c], y - (0.42 if phone and c % 2 else 0.28), value, key=f"{name}-{k}",
                        ha="center", va="top", fontsize=size if not phone else 11 if value >= 1e-3 else 13,
                        color=diagram.BACKWARD)
            if c + 1 < columns:
                following = float(rel[name][LENGTH - 1 - back[c + 1]])
                diagram.arrow(ax, (xs[c] - 0.12, y), (xs[c + 1] + 0.12, y), colour=diagram.BACKWARD,
                              width=diagram.signal_width(following, decades=3, widest=6),
                              gid=f"lstm_cell_unrolled-arrow-{name}-{back[c + 1]}")
    ax.text(width - 0.1, 0.2, f"{EVERY} steps between dots; the loss is at the right", ha="right", fontsize=10)
    return fig, labels.values


def build(out):
    rel = signals()
    out.figure("lstm_cell", draw_cells(phone=False), phone=draw_cells(phone=True))
    desktop, drawn = draw_unrolled(rel, phone=False)
    out.figure("lstm_cell_unrolled", desktop, phone=draw_unrolled(rel, phone=True)[0])
    out.data("lstm_cell", {"setup": {"length": LENGTH, "hidden": HIDDEN, "batch": BATCH, "seed": SEED,
                                     "every": EVERY, "open_forget_bias": OPEN_FORGET_BIAS},
                           **{name: v.tolist() for name, v in rel.items()}, "drawn": drawn})
    far = LENGTH - 1 - max(range(0, LENGTH, EVERY))
    out.number("length", LENGTH)
    out.number("hidden", HIDDEN)
    out.number("seed", SEED)
    out.number("every", EVERY)
    out.number("steps_back", LENGTH - 1 - far)
    out.number("open_forget_bias", OPEN_FORGET_BIAS)
    out.number("forget_gate_default", float(jax.nn.sigmoid(recurrent.FORGET_BIAS)), digits=2)
    out.number("forget_gate_open", float(jax.nn.sigmoid(OPEN_FORGET_BIAS)), digits=2)
    for name in rel:
        out.number(f"{name}_far", float(rel[name][far]), digits=2)
