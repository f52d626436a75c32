"""Per-layer gradient measurement: how strong is the learning signal at each layer?

Two views of the backward signal, both per layer:

* ||dL/dW_l||  (Frobenius): how hard gradient descent pushes layer l's weights.
* dL/dh_l: the error signal arriving at hidden layer l, reported as the root mean
  square over examples of the per-example vector norm ||d loss_i / d h_l||.

Both are computed in float64 (see the package docstring), so values like 1e-40 are
exact rather than rounded to zero.
"""

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp

from . import losses, networks


def _weight_grad_norms(grads: dict) -> jax.Array:
    return networks.layer_weight_norms(grads)


# --8<-- [start:layer_gradients]
def loss_and_gradients(params: dict, cfg: networks.MLPConfig, x, y, loss: str = "cross_entropy"):
    """What one backward pass gives: (loss, dL/dparams, dL/dh_l) with dL/dh_l shaped (depth, batch, width)."""
    loss_fn = losses.get(loss)

    def objective(p, probes):
        logits, _ = networks.forward(p, cfg, x, probes)
        return loss_fn(logits, y)

    probes = jnp.zeros((cfg.depth, x.shape[0], cfg.width))
    value, (g_params, g_probes) = jax.value_and_grad(objective, argnums=(0, 1))(params, probes)
    return value, g_params, g_probes


def summarize(value, g_params, g_probes) -> dict:
    """The per-layer report from what `loss_and_gradients` returns."""
    # dL/dh for example i is (1/batch) dloss_i/dh, so multiply back by the batch size.
    per_example = g_probes.shape[1] * jnp.linalg.norm(g_probes, axis=2)  # (depth, batch)
    return {
        "loss": value,
        "weight_grad_norm": _weight_grad_norms(g_params),
        "hidden_grad_rms": jnp.sqrt(jnp.mean(per_example**2, axis=1)),
    }


def layer_gradients(params: dict, cfg: networks.MLPConfig, x, y, loss: str = "cross_entropy") -> dict:
    """Loss, ||dL/dW_l|| for every weight layer, and RMS ||dloss_i/dh_l|| for every hidden layer."""
    return summarize(*loss_and_gradients(params, cfg, x, y, loss))
# --8<-- [end:layer_gradients]


def gradients_at_init(cfg: networks.MLPConfig, x, y, seeds, loss: str = "cross_entropy", gain: float = 1.0) -> dict:
    """`layer_gradients` for freshly initialized networks, one per seed (vmapped); `gain`
    multiplies every weight, as in `networks.init_params`.

    Every returned array gains a leading seed axis. The networks come from
    `networks.init_many` (the same as `init_params(PRNGKey(seed), cfg)`), so that networks
    with the same shapes share one compiled random draw.
    """
    params = networks.init_many(cfg, seeds, gain)
    return jax.jit(jax.vmap(lambda p: layer_gradients(p, cfg, x, y, loss)))(params)
