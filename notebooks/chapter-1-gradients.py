# %% [markdown]
# # Chapter 1 companion: gradients drive learning
#
# This notebook goes with chapter 1 of *Vanishing gradients, explained*. Run the cells from
# top to bottom (in JupyterLab: *Run > Run All Cells*); each takes a few seconds. Values in
# CAPITALS are yours to change: edit one and rerun its cell.
#
# Cells marked **Predict, then run** ask a question first. Write down your guess, run the
# cell, then open the answer below it.

# %% [markdown]
# ## Gradient descent on a bowl
#
# Gradient descent on f(x) = a·x²/2 (slope a·x) with the library's `descent.gradient_descent`:
# every step replaces x by x − η·a·x = (1 − η·a)·x, where η is the learning rate.
#
# **Predict, then run.** The curvature is a = 2. Which of the learning rates 0.1, 0.45, 0.9
# and 1.05 make the distance to the minimum, |x|, *grow* instead of shrink?

# %% alt="Four lines of the distance to the minimum, |x|, against the step on a log scale, one per learning rate: three fall, fastest for 0.45, while the line for 1.05 rises."
CURVATURE = 2.0
LEARNING_RATES = [0.1, 0.45, 0.9, 1.05]
X0, STEPS = 1.0, 20

fig, ax = style.figure()
for lr in LEARNING_RATES:
    xs = descent.gradient_descent(descent.quadratic(CURVATURE), jnp.array(X0), lr, STEPS)
    ax.plot(np.abs(np.asarray(xs)), label=f"η = {lr}: {descent.regime(lr, CURVATURE)}")
ax.set(yscale="log", xlabel="step", ylabel="|x|, distance from the minimum")
ax.legend(fontsize="small");

# %% [markdown]
# <details><summary>Answer</summary>
#
# Only η = 1.05. Each step multiplies x by 1 − η·a, which is 0.8, 0.1, −0.8 and −1.1 for
# the four rates. A factor between −1 and 1 shrinks |x| (a negative one overshoots the
# minimum and flips the sign every step, but still shrinks); −1.1 makes |x| 10% larger at
# every step. The boundary is η = 2/a = 1: on a bowl, a learning rate above 2 divided by the
# curvature diverges.
#
# </details>

# %% [markdown]
# ## One sigmoid neuron, one step
#
# The chapter's neuron: input x = 1.5, target y = 1, weight w = −0.5, bias b = 0.2. Its output
# is a = σ(w·x + b) and its loss (a − y)²/2. `jax.grad` gives the slope of the loss with
# respect to w and b, the same numbers the chapter works out by hand with the chain rule.
#
# **Predict, then run.** The output a is below the target 1. After one step of gradient
# descent with learning rate 1, does the weight w go up or down?

# %%
X_IN, TARGET, LEARNING_RATE = 1.5, 1.0, 1.0


def neuron_loss(params):
    w, b = params
    a = jax.nn.sigmoid(w * X_IN + b)
    return 0.5 * (a - TARGET) ** 2


params = jnp.array([-0.5, 0.2])
grad = jax.grad(neuron_loss)(params)
new = params - LEARNING_RATE * grad
print("loss before:", round(float(neuron_loss(params)), 4), " gradient (w, b):", np.round(np.asarray(grad), 4))
print("after one step: w, b =", np.round(np.asarray(new), 4), " loss:", round(float(neuron_loss(new)), 4))

# %% [markdown]
# <details><summary>Answer</summary>
#
# Up. The slope ∂ℒ/∂w = (a − y)·σ′(z)·x is negative, because a − y is negative while σ′(z) and
# x are positive. Gradient descent steps *against* the slope, so w grows, the output moves
# towards the target, and the loss falls.
#
# </details>

# %% [markdown]
# ## A small network learns the digits
#
# A network with 2 hidden layers of 32 ReLU units, trained with mini-batch stochastic gradient
# descent (`training.train_mlp`), two seeds per learning rate. All four runs share one
# compiled training loop: the learning rate is an input of each run.
#
# **Predict, then run.** After 200 steps, which learning rate has the lower loss: 0.01 or 0.1?

# %% alt="The mini-batch loss against the SGD step for four runs: the two with learning rate 0.1 fall quickly and end far lower than the two with 0.01, which are still falling at the end."
LEARNING_RATES = [0.01, 0.1]
SEEDS = [0, 1]
net = networks.MLPConfig(depth=2, width=32, in_dim=64, out_dim=10, activation="relu", init="he")
cfg = training.TrainConfig(steps=200, batch_size=64, learning_rate=0.1)
runs = [(lr, seed) for lr in LEARNING_RATES for seed in SEEDS]
history = training.train_mlp(net, cfg, x, y, seeds=[s for _, s in runs], learning_rates=[lr for lr, _ in runs])

fig, ax = style.figure()
loss = np.asarray(history["loss"])
for (lr, seed), curve in zip(runs, loss):
    ax.plot(curve, color=style.OKABE_ITO["blue" if lr == max(LEARNING_RATES) else "orange"],
            label=f"η = {lr}" if seed == SEEDS[0] else None)
ax.set(xlabel="SGD step", ylabel="mini-batch loss (cross-entropy)")
ax.legend()
for (lr, seed), curve in zip(runs, loss):
    print(f"η = {lr}, seed {seed}: final loss {curve[-20:].mean():.3f} (mean of the last 20 steps)")

# %% [markdown]
# <details><summary>Answer</summary>
#
# 0.1. Both rates are far below the size at which this network's training would blow up, so
# the larger one simply takes ten times longer steps downhill. With 0.01 the loss is still
# falling after 200 steps: the network learns, only slowly. (Chapter 2 shows a flat loss with
# a very different cause.)
#
# </details>
