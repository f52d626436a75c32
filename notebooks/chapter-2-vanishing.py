# %% [markdown]
# # Chapter 2 companion: why gradients vanish
#
# This notebook goes with chapter 2 of *Vanishing gradients, explained*. Run the cells from
# top to bottom (in JupyterLab: *Run > Run All Cells*); each takes a few seconds. Values in
# CAPITALS are yours to change: edit one and rerun its cell.
#
# Cells marked **Predict, then run** ask a question first. Write down your guess, run the
# cell, then open the answer below it.

# %% [markdown]
# ## The sigmoid's small slope
#
# Backpropagation multiplies the error signal by the activation's slope once per layer.
#
# **Predict, then run.** What is the largest slope the sigmoid σ(z) = 1/(1 + e^−z) ever has,
# and at which z?

# %%
z = jnp.linspace(-6, 6, 1201)
slope = jax.vmap(jax.grad(activations.get("sigmoid").fn))(z)
print("largest slope:", float(slope.max()), "at z =", round(float(z[slope.argmax()]), 6))

# %% [markdown]
# <details><summary>Answer</summary>
#
# 1/4, at z = 0. The slope is σ(z)·(1 − σ(z)), a product of two numbers that add up to 1, and
# such a product is largest when both are 1/2. Away from 0 it falls fast: at z = 5 it is
# below 0.007.
#
# </details>

# %% [markdown]
# ## The best case, multiplied
#
# Even if every sigmoid sat exactly at its steepest point, each layer would pass back at most
# 1/4 of the signal (times its weights).
#
# **Predict, then run.** How many layers of best-case factors 1/4 does it take to shrink the
# signal below one millionth?

# %%
THRESHOLD = 1e-6
layers = np.arange(1, 21)
product = 0.25 ** layers
print("first depth below", THRESHOLD, ":", int(layers[product < THRESHOLD][0]), "layers")
print("(1/4)^10 =", 0.25 ** 10)

# %% [markdown]
# <details><summary>Answer</summary>
#
# 10 layers: (1/4)^10 = 1/1,048,576, just under one millionth, while (1/4)^9 is about 3.8
# millionths. Every 5 layers cost a factor of about 1,000.
#
# </details>

# %% [markdown]
# ## The error signal at every layer
#
# `gradients.gradients_at_init` measures the error signal |∂ℒ/∂h_l| arriving at each hidden
# layer l of a freshly initialized network, for three seeds (line: median, band: range).
#
# **Predict, then run.** Three 20-layer networks with Xavier initialization: sigmoid, tanh and
# ReLU. Which one keeps the largest error signal at layer 1, relative to its last layer?

# %% alt="The error signal at each of 20 hidden layers on a log scale, for sigmoid, tanh and ReLU with Xavier initialization: the sigmoid's falls by many orders of magnitude towards layer 1, ReLU's by about three, tanh's by less than one."
DEPTH, WIDTH, INIT = 20, 32, "xavier"
ACTIVATIONS = ["sigmoid", "tanh", "relu"]
SEEDS = (0, 1, 2)

fig, ax = style.figure()
layers = np.arange(1, DEPTH + 1)
for name in ACTIVATIONS:
    cfg = networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, activation=name, init=INIT)
    signal = np.asarray(gradients.gradients_at_init(cfg, x[:256], y[:256], SEEDS)["hidden_grad_rms"])
    style.band(ax, layers, signal, style.ACTIVATION_COLOURS[name], label=activations.get(name).label, log=True)
    print(f"{name:8s} layer 1 / layer {DEPTH}: {np.median(signal[:, 0] / signal[:, -1]):.2g}")
ax.set(yscale="log", xlabel="hidden layer l (1 = nearest the input)", ylabel=r"error signal $\|\partial \mathcal{L}/\partial h_l\|$")
ax.legend();

# %% [markdown]
# <details><summary>Answer</summary>
#
# tanh. Its slope is 1 at z = 0, so with Xavier's weights its factors stay close to 1 and the
# signal shrinks only slowly. The sigmoid loses many orders of magnitude: its factors are at
# most 1/4 times the weights. ReLU has slope 1 where it is active, yet it loses about a
# factor of 1,000 here: it passes on only the positive half of its inputs, so it needs weights
# with twice Xavier's variance, which is He initialization (chapter 3). Try `INIT = "he"`.
#
# </details>

# %% [markdown]
# ## What it does to training
#
# The same sigmoid network, 2 and 10 layers deep, trained with the same settings.
#
# **Predict, then run.** Does the 10-layer network's loss fall below ln 10 ≈ 2.30, the loss
# of guessing among ten digits, within 150 steps?

# %% alt="The mini-batch loss against the SGD step for sigmoid networks of 2 and 10 layers: the 2-layer network's loss falls, the 10-layer network's stays on the dotted line of guessing, ln 10."
DEEP, LEARNING_RATE = 10, 0.5
cfg = training.TrainConfig(steps=150, batch_size=64, learning_rate=LEARNING_RATE)
fig, ax = style.figure()
for depth, colour in ((2, "relu"), (DEEP, "sigmoid")):
    net = networks.MLPConfig(depth=depth, width=32, in_dim=64, out_dim=10, activation="sigmoid", init="xavier")
    loss = np.asarray(training.train_mlp(net, cfg, x, y, seeds=(0, 1))["loss"])
    style.band(ax, np.arange(cfg.steps), loss, style.ACTIVATION_COLOURS[colour], label=f"{depth} layers")
    print(f"{depth:2d} layers: loss over the last 20 steps {loss[:, -20:].mean():.3f}")
ax.axhline(np.log(10), color="black", linestyle=":", label="guessing, ln 10")
ax.set(xlabel="SGD step", ylabel="mini-batch loss")
ax.legend();

# %% [markdown]
# <details><summary>Answer</summary>
#
# No. The 2-layer network learns, while the 10-layer one stays at the guessing level: its first
# layers receive almost no gradient, and the signal that reaches its last layers is almost the
# same for every digit. A flat loss alone does not prove vanishing gradients, though: the
# site's "Diagnose this run" gallery shows other causes, and how to tell them apart.
#
# </details>
