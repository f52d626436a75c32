"""Turn on float64 in JAX before any array is made; every JAX module imports this.

A deep sigmoid stack shrinks gradients by factors like 4**-50 = 8e-31; float32 keeps
nothing below about 1e-45, so the early layers' gradients would print as exactly 0 and
vanish from a log-scale plot. float64 reaches 1e-308, far below anything we measure.
"""

import jax

jax.config.update("jax_enable_x64", True)
