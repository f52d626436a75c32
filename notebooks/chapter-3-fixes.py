# %% [markdown]
# # Chapter 3 companion: fixing vanishing gradients
#
# This notebook goes with chapter 3 of *Vanishing gradients, explained*. Run the cells from
# top to bottom (in JupyterLab: *Run > Run All Cells*); each takes a few seconds. Values in
# CAPITALS are yours to change: edit one and rerun its cell.
#
# Cells marked **Predict, then run** ask a question first. Write down your guess, run the
# cell, then open the answer below it.

# %% [markdown]
# ## The right variance for ReLU
#
# A forward pass through a deep ReLU network (`networks.forward` returns every hidden state),
# with weights of variance 1/n (LeCun) and 2/n (He), where n is the number of inputs of the
# layer; three seeds, median shown.
#
# **Predict, then run.** After 50 layers, how big is the signal with variance 1/n, compared
# with its size at layer 1? And with 2/n?

# %% alt="The size of each layer's output in a 50-layer ReLU network on a log scale: with weight variance 1/n it falls steadily by about eight orders of magnitude, with 2/n it stays close to its starting size."
DEPTH, WIDTH, SEEDS = 50, 128, (0, 1, 2)
fig, ax = style.figure()
for init, colour in (("lecun", "sigmoid"), ("he", "relu")):
    cfg = networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, activation="relu", init=init)
    sizes = []
    for seed in SEEDS:
        _, trace = networks.forward(networks.init_params(jax.random.PRNGKey(seed), cfg), cfg, x[:256])
        sizes.append(np.sqrt(np.mean(np.asarray(trace["h"]) ** 2, axis=(1, 2))))  # RMS of each layer's output
    size = np.median(sizes, axis=0)
    ax.plot(np.arange(1, DEPTH + 1), size, color=style.ACTIVATION_COLOURS[colour],
            label=f"{init}: Var(W) = " + ("1/n" if init == "lecun" else "2/n"))
    print(f"{init:5s}: layer {DEPTH} / layer 1 = {size[-1] / size[0]:.2g}")
ax.set(yscale="log", xlabel="layer l", ylabel="RMS of the layer's output $h_l$")
ax.legend();

# %% [markdown]
# <details><summary>Answer</summary>
#
# With 1/n it shrinks by a factor of about √2 per layer, so after 50 layers it is about
# (1/√2)^49 ≈ 4·10^−8 of its size at layer 1 (the number above differs a little: the weights
# are random). With 2/n it stays within a small factor of its starting size. ReLU sets the
# negative half of its inputs to zero, which halves the average square of the signal; doubling
# the weights' variance gives it back. The same factor acts on the way back, on the gradient.
#
# </details>

# %% [markdown]
# ## Three networks, one picture
#
# The error signal at every hidden layer of a 30-layer network: sigmoid with Xavier
# initialization, ReLU with He initialization, and ReLU with He initialization plus residual
# connections: each residual layer outputs its input plus s times ReLU of its pre-activation.
# The branch scale s is the one the site's training experiment and explorer use
# (`networks.RESIDUAL_BRANCH_SCALE`).
#
# **Predict, then run.** Which network's signal at layer 1 is closest to its signal at
# layer 30?

# %% alt="The error signal at each hidden layer of three 30-layer networks on a log scale: sigmoid with Xavier initialization falls by many orders of magnitude towards layer 1, while ReLU with He initialization and the residual ReLU network stay within a small factor of their last layer."
DEPTH, WIDTH, SEEDS = 30, 32, (0, 1, 2)
CONFIGS = {
    "sigmoid, Xavier": dict(activation="sigmoid", init="xavier"),
    "ReLU, He": dict(activation="relu", init="he"),
    "ReLU, He, residual": dict(activation="relu", init="he", residual=True, branch_scale=networks.RESIDUAL_BRANCH_SCALE),
}
fig, ax = style.figure()
layers = np.arange(1, DEPTH + 1)
for (label, options), colour in zip(CONFIGS.items(), ["sigmoid", "relu", "tanh"]):
    cfg = networks.MLPConfig(depth=DEPTH, width=WIDTH, in_dim=64, out_dim=10, **options)
    signal = np.asarray(gradients.gradients_at_init(cfg, x[:256], y[:256], SEEDS)["hidden_grad_rms"])
    style.band(ax, layers, signal, style.ACTIVATION_COLOURS[colour], label=label, log=True)
    print(f"{label:20s} layer 1 / layer {DEPTH}: {np.median(signal[:, 0] / signal[:, -1]):.3g}")
ax.set(yscale="log", xlabel="hidden layer l (1 = nearest the input)", ylabel=r"error signal $\|\partial \mathcal{L}/\partial h_l\|$")
ax.legend(fontsize="small");

# %% [markdown]
# <details><summary>Answer</summary>
#
# The residual network's. Each residual block passes the signal back through two routes: the
# branch, with its small factor, and the shortcut, which hands it back unchanged (the block's
# slope is 1 plus the branch's). Plain ReLU with He initialization also keeps the signal
# within a small factor of its size at layer 30; the sigmoid network loses many orders of
# magnitude.
#
# </details>

# %% [markdown]
# ## Do they train?
#
# The two ReLU networks, 20 layers deep, trained with plain SGD (two seeds each). (The
# sigmoid network does not train at all: the chapter 2 notebook shows it.)
#
# **Predict, then run.** Both keep the error signal at layer 1 within a small factor of
# its size at layer 20. Does that mean they learn equally fast?

# %% alt="The mini-batch loss against the SGD step on a log scale for the two 20-layer ReLU networks: the plain network's loss falls slowly, the residual network's falls much faster and ends far lower."
DEPTH_TRAIN, STEPS = 20, 200
cfg = training.TrainConfig(steps=STEPS, batch_size=64, learning_rate=0.05)
fig, ax = style.figure()
for label, colour in (("ReLU, He", "relu"), ("ReLU, He, residual", "tanh")):
    net = networks.MLPConfig(depth=DEPTH_TRAIN, width=32, in_dim=64, out_dim=10, **CONFIGS[label])
    loss = np.asarray(training.train_mlp(net, cfg, x, y, seeds=(0, 1))["loss"])
    style.band(ax, np.arange(STEPS), loss, style.ACTIVATION_COLOURS[colour], label=label)
    print(f"{label:20s} loss over the last 20 steps: {loss[:, -20:].mean():.3f}")
ax.set(yscale="log", xlabel="SGD step", ylabel="mini-batch loss")
ax.legend(fontsize="small");

# %% [markdown]
# <details><summary>Answer</summary>
#
# No: the residual network learns much faster. A signal that reaches every layer is
# necessary for learning, not a guarantee of speed. The shortcuts also make each block start
# close to the identity, so the deep network first behaves like a shallow one and the
# blocks learn small corrections, an easier problem than the plain network's.
#
# </details>
