"""The shared JAX library behind every figure script and notebook of the explainer.

One module per concept: activations, initializers, networks, losses, gradients,
training, recurrent, data, style (plots), outputs (atomic writes) and runner
(`make figures`). Importing the package itself imports nothing heavy, so the runner can
decide that there is nothing to do without paying for JAX.
"""
