/* The explorer's training engine: a multilayer perceptron trained by mini-batch SGD with
 * momentum, in float64, with no DOM (it runs in a Web Worker, in tests and in benchmarks).
 *
 * Every definition is the JAX library's (scripts/vanishing), so that the browser shows
 * what the chapters measure, and tests/test_explorer.py checks this file against oracle
 * cases the library writes (agreement to 1e-9):
 *   hidden layer   z = BN(h W + b),  h' = phi(z), or h' = h + s phi(z) with residual
 *                  connections (never in layer 1, which changes the width)
 *   batch norm     training-mode mean and variance over the batch, epsilon 1e-5
 *   loss           softmax cross-entropy, averaged over the batch
 *   update         v <- momentum v + g,  p <- p - lr v
 * Weights are row-major Float64Arrays: w[k * nOut + j] connects input k to unit j.
 */

export const BN_EPSILON = 1e-5; // networks.BN_EPSILON
export const LEAKY_SLOPE = 0.01; // activations.LEAKY_SLOPE
export const FLAT_SHARE = 0.1; // "flat": slope below 10% of the activation's largest slope

/* ------------------------------------------------------------------ erf (for GELU) */

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
// (1969) 631-638: near-minimax rational approximations on three intervals, accurate to
// about 1e-16 in double precision. JavaScript has no Math.erf.
const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947,
  0.185777706184603153];
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const ERFC_C = [0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131,
  881.95222124176909, 1712.04761263407058, 2051.07837782607147, 1230.33935479799725,
  2.15311535474403846e-8];
const ERFC_D = [15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019,
  3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942];
const ERFC_P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978];
const ERFC_Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191,
  0.00233520497626869185];
const ONE_OVER_SQRT_PI = 0.56418958354775628695;

/** exp(-y^2) without losing digits: y^2 split into a part exact in binary and the rest. */
function expMinusSquare(y) {
  const coarse = Math.trunc(y * 16) / 16;
  return Math.exp(-coarse * coarse) * Math.exp(-(y - coarse) * (y + coarse));
}

/** erfc(y) for y > 0.46875, Cody's second and third intervals. */
function erfcTail(y) {
  if (y >= 26.543) return 0;
  let num, den, ratio;
  if (y <= 4) {
    num = ERFC_C[8] * y;
    den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]) * y;
      den = (den + ERFC_D[i]) * y;
    }
    ratio = (num + ERFC_C[7]) / (den + ERFC_D[7]);
  } else {
    const inv = 1 / (y * y);
    num = ERFC_P[5] * inv;
    den = inv;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]) * inv;
      den = (den + ERFC_Q[i]) * inv;
    }
    ratio = (ONE_OVER_SQRT_PI - inv * (num + ERFC_P[4]) / (den + ERFC_Q[4])) / y;
  }
  return expMinusSquare(y) * ratio;
}

export function erf(x) {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const sq = y > 1.11e-16 ? y * y : 0;
    let num = ERF_A[4] * sq, den = sq;
    for (let i = 0; i < 3; i++) {
      num = (num + ERF_A[i]) * sq;
      den = (den + ERF_B[i]) * sq;
    }
    return x * (num + ERF_A[3]) / (den + ERF_B[3]);
  }
  const value = (0.5 - erfcTail(y)) + 0.5;
  return x < 0 ? -value : value;
}

/* ------------------------------------------------------------------ activations */

// fn(z), where not a number stays not a number, as in JAX; slope(z, a) with a = fn(z), as
// JAX's derivative rules reuse the output; maxSlope (sigmoid-like only) for the "flat part";
// kind "flat" (sigmoid-like: saturated means a flat slope) or "dead" (ReLU-like: a unit is
// dead when it is off for every example of the batch).
const SQRT_2PI = Math.sqrt(2 * Math.PI);
export const ACTIVATIONS = {
  sigmoid: { fn: (z) => 1 / (1 + Math.exp(-z)), slope: (z, a) => a * (1 - a), maxSlope: 0.25, kind: "flat" },
  tanh: { fn: Math.tanh, slope: (z, a) => 1 - a * a, maxSlope: 1, kind: "flat" },
  relu: { fn: (z) => Math.max(z, 0), slope: (z) => (z > 0 ? 1 : 0), kind: "dead" },
  leaky_relu: { fn: (z) => (z > 0 ? z : LEAKY_SLOPE * z), slope: (z) => (z > 0 ? 1 : LEAKY_SLOPE), kind: "dead" },
  // GELU(z) = z Phi(z) with Phi the normal CDF; its slope Phi(z) + z phi(z) reads Phi back as a / z.
  gelu: { fn: (z) => 0.5 * z * (1 + erf(z / Math.SQRT2)),
    slope: (z, a) => (z === 0 ? 0.5 : a / z) + z * Math.exp(-0.5 * z * z) / SQRT_2PI, kind: "dead" },
};

/** Variance of each weight under an initialization scheme (initializers.weight_variance). */
export function weightVariance(init, fanIn, fanOut) {
  const variances = { standard_normal: 1, xavier: 2 / (fanIn + fanOut), he: 2 / fanIn };
  if (!(init in variances)) throw new Error("unknown initialization " + init);
  return variances[init];
}

/* ------------------------------------------------------------------ random numbers */

/** A seeded generator (xoshiro128**, seeded by splitmix32): uniform() in [0, 1) with 53
 * random bits, normal() by Box-Muller. Not JAX's stream: tests compare distributions. */
export function randomStream(seed, stream = 0) {
  let x = (Math.imul(seed, 0x9e3779b9) + Math.imul(stream, 0x85ebca6b)) >>> 0;
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  function next() {
    const times5 = Math.imul(s[1], 5);
    const result = Math.imul((times5 << 7) | (times5 >>> 25), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  }
  let spare = null;
  const uniform = () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  function normal() {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform())), angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
  return { next, uniform, normal };
}

/* ------------------------------------------------------------------ the network */

/** A network of zeros with the library's shapes: cfg.depth hidden layers (each with a
 * batch-norm scale and shift, used only with batch norm) and a read-out layer. */
export function createNetwork(cfg) {
  const layers = [];
  for (let l = 0; l < cfg.depth; l++) {
    const nIn = l === 0 ? cfg.inDim : cfg.width;
    layers.push({ nIn, nOut: cfg.width, w: new Float64Array(nIn * cfg.width), b: new Float64Array(cfg.width),
      gamma: new Float64Array(cfg.width).fill(1), beta: new Float64Array(cfg.width) });
  }
  const out = { nIn: cfg.width, nOut: cfg.classes, w: new Float64Array(cfg.width * cfg.classes),
    b: new Float64Array(cfg.classes) };
  return { layers, out };
}

/** Every parameter array in a fixed order (layer by layer: w, b, gamma, beta; read-out w, b). */
export function parameterArrays(net) {
  const arrays = [];
  for (const layer of net.layers) arrays.push(layer.w, layer.b, layer.gamma, layer.beta);
  arrays.push(net.out.w, net.out.b);
  return arrays;
}

/** Weights from the scheme's normal distribution times cfg.gain; biases 0, BN scale 1, shift 0. */
export function initialize(net, cfg, rng) {
  for (const layer of [...net.layers, net.out]) {
    const std = cfg.gain * Math.sqrt(weightVariance(cfg.init, layer.nIn, layer.nOut));
    for (let i = 0; i < layer.w.length; i++) layer.w[i] = std * rng.normal();
  }
  return net;
}

/** Buffers for one batch size, reused every step (no garbage while training). */
function workspace(cfg, batch) {
  const size = batch * cfg.width;
  const layers = [];
  for (let l = 0; l < cfg.depth; l++) {
    layers.push({ z: new Float64Array(size), zhat: new Float64Array(size), a: new Float64Array(size),
      h: new Float64Array(size), sd: new Float64Array(cfg.width) });
  }
  return { batch, layers, logits: new Float64Array(batch * cfg.classes), dh: new Float64Array(size),
    dhPrev: new Float64Array(size), dz: new Float64Array(size) };
}

/** c[r, q] = sum_t x[r xr + t xt] y[t yt + q yq] for r < rows, q < cols (c row-major), the
 * sum taken in order t = 0, 1, ...: every matrix product of the engine, the strides
 * choosing what is transposed. It works on 2 rows x 4 columns at a time, with the eight
 * sums in registers, which V8 runs about three times faster than one multiply-add per
 * memory update. A last odd row or short block of columns is computed with indices
 * clamped to the edge, and written only where it exists. */
function product(x, xr, xt, y, yt, yq, c, rows, cols, inner) {
  for (let r = 0; r < rows; r += 2) {
    const second = r + 1 < rows, x0 = r * xr, x1 = second ? x0 + xr : x0;
    for (let q = 0; q < cols; q += 4) {
      const last = cols - 1;
      const y0 = q * yq, y1 = Math.min(q + 1, last) * yq, y2 = Math.min(q + 2, last) * yq, y3 = Math.min(q + 3, last) * yq;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let t = 0, i0 = x0, i1 = x1, yt0 = 0; t < inner; t++, i0 += xt, i1 += xt, yt0 += yt) {
        const u = x[i0], v = x[i1];
        const w0 = y[yt0 + y0], w1 = y[yt0 + y1], w2 = y[yt0 + y2], w3 = y[yt0 + y3];
        a0 += u * w0; a1 += u * w1; a2 += u * w2; a3 += u * w3;
        b0 += v * w0; b1 += v * w1; b2 += v * w2; b3 += v * w3;
      }
      const c0 = r * cols + q, n = Math.min(4, cols - q);
      c[c0] = a0;
      if (n > 1) c[c0 + 1] = a1;
      if (n > 2) c[c0 + 2] = a2;
      if (n > 3) c[c0 + 3] = a3;
      if (!second) continue;
      c[c0 + cols] = b0;
      if (n > 1) c[c0 + cols + 1] = b1;
      if (n > 2) c[c0 + cols + 2] = b2;
      if (n > 3) c[c0 + cols + 3] = b3;
    }
  }
}

/** out[i, j] = sum_k a[i, k] w[k, j] + b[j] for the n rows of a (n x nIn). */
function affine(a, w, b, out, n, nIn, nOut) {
  product(a, nIn, 1, w, nOut, 1, out, n, nOut, nIn);
  for (let i = 0; i < n; i++) for (let j = 0; j < nOut; j++) out[i * nOut + j] += b[j];
}

/** dw[k, j] = sum_i a[i, k] d[i, j] and db[j] = sum_i d[i, j]: the weight gradient. */
function weightGradient(a, d, dw, db, n, nIn, nOut) {
  product(a, 1, nIn, d, nOut, 1, dw, nIn, nOut, n);
  for (let j = 0; j < nOut; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[i * nOut + j];
    db[j] = sum;
  }
}

/** dIn[i, k] = sum_j d[i, j] w[k, j]: the gradient passed back to the layer's input. */
function inputGradient(d, w, dIn, n, nIn, nOut) {
  product(d, nOut, 1, w, 1, nOut, dIn, n, nIn, nOut);
}

/** Mean and variance (the mean square deviation, as NumPy's) of column j of m (n x width). */
function columnMoments(m, n, width, j) {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += m[i * width + j];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (m[i * width + j] - mean) ** 2;
  return [mean, variance / n];
}

/** Batch norm in place on z (n x width): z <- gamma (z - mean) / sd + beta; keeps zhat and sd. */
function batchNorm(z, zhat, sd, gamma, beta, n, width) {
  for (let j = 0; j < width; j++) {
    const [mean, variance] = columnMoments(z, n, width, j);
    sd[j] = Math.sqrt(variance + BN_EPSILON);
    for (let i = 0; i < n; i++) {
      const centred = z[i * width + j] - mean;
      zhat[i * width + j] = centred / sd[j];
      z[i * width + j] = gamma[j] * centred / sd[j] + beta[j];
    }
  }
}

/** Gradients through batch norm: from d (wrt its output) to d wrt its input, in place. */
function batchNormBackward(d, zhat, sd, gamma, dgamma, dbeta, n, width) {
  for (let j = 0; j < width; j++) {
    let sumD = 0, sumDZhat = 0;
    for (let i = 0; i < n; i++) {
      sumD += d[i * width + j];
      sumDZhat += d[i * width + j] * zhat[i * width + j];
    }
    dgamma[j] = sumDZhat;
    dbeta[j] = sumD;
    const scale = gamma[j] / (n * sd[j]);
    for (let i = 0; i < n; i++) {
      const k = i * width + j;
      d[k] = scale * (n * d[k] - sumD - zhat[k] * sumDZhat);
    }
  }
}

/** Forward and backward pass on one batch (x: n x inDim, labels: n), into `grads` (shaped
 * like parameterArrays(net)). Returns the loss and, per hidden layer l (input side first):
 * signal[l], the root mean square over examples of |d loss_i / d h_l| (the library's
 * hidden_grad_rms), and saturation[l], the share of flat or dead units. */
export function forwardBackward(net, cfg, x, labels, n, grads, ws = workspace(cfg, n)) {
  const act = ACTIVATIONS[cfg.activation];
  const width = cfg.width, depth = cfg.depth, classes = cfg.classes;
  const size = n * width;
  const saturation = new Float64Array(depth), signal = new Float64Array(depth);
  let input = x;
  for (let l = 0; l < depth; l++) {
    const layer = net.layers[l], buf = ws.layers[l], residual = cfg.residual && l > 0;
    affine(input, layer.w, layer.b, buf.z, n, layer.nIn, width);
    if (cfg.batchnorm) batchNorm(buf.z, buf.zhat, buf.sd, layer.gamma, layer.beta, n, width);
    for (let k = 0; k < size; k++) {
      const a = act.fn(buf.z[k]);
      buf.a[k] = a;
      buf.h[k] = residual ? input[k] + cfg.branchScale * a : a;
    }
    saturation[l] = saturationShare(act, buf.z, buf.a, n, width);
    input = buf.h;
  }

  // Read-out and loss: log-softmax with the largest logit subtracted, as jax.nn.log_softmax.
  const logits = ws.logits, dlogits = logits;
  affine(input, net.out.w, net.out.b, logits, n, width, classes);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[row + c]);
    let total = 0;
    for (let c = 0; c < classes; c++) total += Math.exp(logits[row + c] - max);
    const logTotal = Math.log(total);
    loss -= logits[row + labels[i]] - max - logTotal;
    for (let c = 0; c < classes; c++) {
      dlogits[row + c] = (Math.exp(logits[row + c] - max - logTotal) - (c === labels[i] ? 1 : 0)) / n;
    }
  }
  loss /= n;

  const last = grads.length - 2;
  let dh = ws.dh, dhPrev = ws.dhPrev;
  weightGradient(input, dlogits, grads[last], grads[last + 1], n, width, classes);
  inputGradient(dlogits, net.out.w, dh, n, width, classes);
  for (let l = depth - 1; l >= 0; l--) {
    const layer = net.layers[l], buf = ws.layers[l], residual = cfg.residual && l > 0;
    let squares = 0;
    for (let k = 0; k < size; k++) squares += dh[k] * dh[k];
    signal[l] = Math.sqrt(n * squares); // sqrt(mean_i |n dL/dh_i|^2)
    const dz = ws.dz, scale = residual ? cfg.branchScale : 1;
    for (let k = 0; k < size; k++) dz[k] = scale * dh[k] * act.slope(buf.z[k], buf.a[k]);
    const [dw, db, dgamma, dbeta] = grads.slice(4 * l, 4 * l + 4);
    if (cfg.batchnorm) batchNormBackward(dz, buf.zhat, buf.sd, layer.gamma, dgamma, dbeta, n, width);
    else {
      dgamma.fill(0);
      dbeta.fill(0);
    }
    const prevInput = l === 0 ? x : ws.layers[l - 1].h;
    weightGradient(prevInput, dz, dw, db, n, layer.nIn, width);
    if (l === 0) break;
    inputGradient(dz, layer.w, dhPrev, n, layer.nIn, width);
    if (residual) for (let k = 0; k < size; k++) dhPrev[k] += dh[k];
    [dh, dhPrev] = [dhPrev, dh];
  }
  return { loss, signal, saturation };
}

/** Share of a layer's units in the flat part (sigmoid, tanh: slope below FLAT_SHARE of its
 * largest, counted over units and examples) or dead (ReLU family: off for every example). */
function saturationShare(act, z, a, n, width) {
  let count = 0;
  if (act.kind === "flat") {
    const limit = FLAT_SHARE * act.maxSlope;
    for (let k = 0; k < n * width; k++) if (act.slope(z[k], a[k]) < limit) count++;
    return count / (n * width);
  }
  for (let j = 0; j < width; j++) {
    let alive = false;
    for (let i = 0; i < n && !alive; i++) alive = z[i * width + j] > 0;
    if (!alive) count++;
  }
  return count / width;
}

/** Positions of the weight matrices in parameterArrays: hidden layers, then the read-out. */
export function weightPositions(depth) {
  return [...Array.from({ length: depth }, (_, l) => 4 * l), 4 * depth];
}

/** One step of SGD with momentum, in place (training.momentum_step). Returns, for every
 * weight matrix (hidden layers, then the read-out), |update| / |weights before it|. */
export function momentumStep(net, velocity, grads, learningRate, momentum) {
  const params = parameterArrays(net), weights = weightPositions(net.layers.length);
  const ratios = new Float64Array(weights.length);
  for (let p = 0; p < params.length; p++) {
    const param = params[p], v = velocity[p], g = grads[p];
    let update = 0, size = 0;
    for (let i = 0; i < param.length; i++) {
      v[i] = momentum * v[i] + g[i];
      update += v[i] * v[i];
      size += param[i] * param[i];
      param[i] -= learningRate * v[i];
    }
    const k = weights.indexOf(p);
    if (k >= 0) ratios[k] = learningRate * Math.sqrt(update / size);
  }
  return ratios;
}

export function zerosLike(arrays) {
  return arrays.map((a) => new Float64Array(a.length));
}

export function norm(array) {
  let sum = 0;
  for (let i = 0; i < array.length; i++) sum += array[i] * array[i];
  return Math.sqrt(sum);
}

/* ------------------------------------------------------------------ data */

/** The digits shipped by make figures (pixels 0..16 as letters a..q, labels as digits),
 * standardized per pixel to mean 0 and variance 1 exactly as data.digits() does. */
export function digitsFromJson(json) {
  const { rows, cols } = json;
  const x = new Float64Array(rows * cols), y = new Int32Array(rows);
  for (let i = 0; i < rows * cols; i++) x[i] = json.pixels.charCodeAt(i) - 97;
  for (let i = 0; i < rows; i++) y[i] = json.labels.charCodeAt(i) - 48;
  for (let j = 0; j < cols; j++) {
    const [mean, variance] = columnMoments(x, rows, cols, j);
    const std = Math.sqrt(variance) || 1; // constant pixels stay 0
    for (let i = 0; i < rows; i++) x[i * cols + j] = (x[i * cols + j] - mean) / std;
  }
  return { x, y, rows, cols, classes: json.classes };
}

/* ------------------------------------------------------------------ training */

/** Mini-batches as training.epoch_batches makes them: each epoch a fresh shuffle of all
 * examples, cut into full batches (the remainder of an epoch is dropped). */
function batchSampler(rows, batch, rng) {
  const order = new Int32Array(rows);
  let position = rows;
  return function next() {
    if (position + batch > rows) {
      for (let i = 0; i < rows; i++) order[i] = i;
      for (let i = rows - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      position = 0;
    }
    position += batch;
    return order.subarray(position - batch, position);
  };
}

/** One training run: a network initialized from `seed`, and its mini-batches.
 * config: activation, init, gain, depth, width, residual, batchnorm, branchScale,
 * learningRate, momentum, batchSize. */
export class Trainer {
  constructor(config, data, seed) {
    this.cfg = { ...config, inDim: data.cols, classes: data.classes };
    this.data = data;
    this.net = initialize(createNetwork(this.cfg), this.cfg, randomStream(seed, 1));
    this.grads = zerosLike(parameterArrays(this.net));
    this.velocity = zerosLike(this.grads);
    this.ws = workspace(this.cfg, config.batchSize);
    this.nextBatch = batchSampler(data.rows, config.batchSize, randomStream(seed, 2));
    this.xb = new Float64Array(config.batchSize * data.cols);
    this.yb = new Int32Array(config.batchSize);
    this.pending = null; // a batch looked at by inspect() and not yet trained on
    this.steps = 0;
  }

  batch() {
    if (!this.pending) {
      const idx = this.nextBatch(), cols = this.data.cols;
      for (let i = 0; i < idx.length; i++) {
        this.xb.set(this.data.x.subarray(idx[i] * cols, (idx[i] + 1) * cols), i * cols);
        this.yb[i] = this.data.y[idx[i]];
      }
      this.pending = true;
    }
    return [this.xb, this.yb];
  }

  /** Loss, signal and saturation on the next mini-batch, without training. */
  inspect() {
    const [xb, yb] = this.batch();
    return { step: this.steps, ...forwardBackward(this.net, this.cfg, xb, yb, this.cfg.batchSize, this.grads, this.ws) };
  }

  /** One SGD step. The record describes the network before the step (as the library's
   * trainer records it): loss, signal, saturation; and each weight matrix's update ratio. */
  step() {
    const record = this.inspect();
    record.ratio = momentumStep(this.net, this.velocity, this.grads, this.cfg.learningRate, this.cfg.momentum);
    this.pending = null;
    this.steps += 1;
    record.step = this.steps;
    return record;
  }
}

/** The mean of the last `window` losses at every step: the loss the explorer reports,
 * draws and judges (a single mini-batch's loss is noisy). */
export const LOSS_WINDOW = 10;
export function windowMean(losses, end, window = LOSS_WINDOW) {
  const start = Math.max(0, end - window);
  let sum = 0;
  for (let t = start; t < end; t++) sum += losses[t];
  return sum / (end - start);
}
