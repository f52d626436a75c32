# %% [markdown]
# The setup cell below is the same in every notebook: it imports JAX and the small library
# that computed every figure of the site, switches on inline plots in the site's style, and
# loads the 1,797 handwritten digits the experiments train on.

# %%
try:
    from vanishing import activations, data, descent
    from vanishing import gradients, networks, style, training
except ModuleNotFoundError:
    raise ModuleNotFoundError("This notebook needs the site's library: see the site's Notebooks "
                              "page (pip install -r requirements.txt in its archive)") from None
import jax
import jax.numpy as jnp
import numpy as np

style.notebook()  # plots appear below the cells, in the site's style
x, y = data.digits()
print("digits:", x.shape, "labels:", y.shape)
