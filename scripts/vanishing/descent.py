"""Plain gradient descent on a function of a few numbers, and the quadratic that explains it.

Chapter 1 teaches gradient descent on small functions before networks. A quadratic
f(x) = x^T A x / 2 is the one case with a closed form: each step multiplies the
component of x along an eigenvector of A by (1 - lr * eigenvalue), so descent converges
exactly when lr < 2 / largest eigenvalue. The tests check the iterates against it.
"""

from . import precision  # noqa: F401  (float64 before any array)
import jax
import jax.numpy as jnp
from jax import lax


def gradient_descent(f, x0, lr: float, steps: int) -> jax.Array:
    """Iterates x_0, x_1, ..., x_steps of x_{k+1} = x_k - lr * grad f(x_k).

    `f` maps an array (or scalar) to a scalar; its gradient comes from `jax.grad`.
    The result has a leading axis of length steps + 1 (x_0 included).
    """
    grad = jax.grad(f)
    x0 = jnp.asarray(x0, dtype=jnp.float64)

    def step(x, _):
        x_next = x - lr * grad(x)
        return x_next, x_next

    _, xs = lax.scan(step, x0, None, length=steps)
    return jnp.concatenate([x0[None], xs])


def quadratic(matrix):
    """f(x) = x^T A x / 2 for a symmetric A (a 1x1 A, or a scalar, gives a x^2 / 2)."""
    a = jnp.atleast_2d(jnp.asarray(matrix, dtype=jnp.float64))

    def f(x):
        v = jnp.atleast_1d(x)
        return 0.5 * v @ a @ v

    return f


def quadratic_iterates_closed_form(matrix, x0, lr: float, steps: int) -> jax.Array:
    """The same iterates from the eigen-decomposition A = Q diag(lam) Q^T.

    Along eigenvector q_i the coordinate is multiplied by (1 - lr lam_i) at every step, so
    x_k = Q diag((1 - lr lam)^k) Q^T x_0.
    """
    a = jnp.atleast_2d(jnp.asarray(matrix, dtype=jnp.float64))
    lam, q = jnp.linalg.eigh(a)
    scalar = jnp.ndim(x0) == 0
    x0 = jnp.atleast_1d(jnp.asarray(x0, dtype=jnp.float64))
    k = jnp.arange(steps + 1, dtype=jnp.float64)[:, None]
    coords = (q.T @ x0)[None, :] * (1.0 - lr * lam)[None, :] ** k
    xs = coords @ q.T
    return xs[:, 0] if scalar else xs


def regime(lr: float, curvature: float) -> str:
    """How descent behaves along a direction of curvature `curvature` (an eigenvalue).

    The per-step factor is r = 1 - lr * curvature: 0 <= r < 1 shrinks steadily,
    -1 < r < 0 flips sign each step while shrinking, |r| > 1 grows, and r = -1 exactly
    bounces between two points for ever.
    """
    r = 1.0 - lr * curvature
    if abs(r) > 1.0:
        return "diverges"
    if r == -1.0:
        return "bounces for ever"
    return "zigzags, converges" if r < 0 else "converges smoothly"
