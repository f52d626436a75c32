/* The JAX library's names for the engine's arrays, for the oracle test only (the page
 * never loads this file). The library keeps its parameters as w_in, b_in, w_hidden,
 * b_hidden, gamma, beta, w_out and b_out; figures/data/explorer_data_oracle.json writes each as
 * one flat row-major list, which is the engine's layout too, cut into layers. */
import { createNetwork, forwardBackward, momentumStep, norm, parameterArrays, weightPositions, zerosLike }
  from "./engine.js";

/** The engine arrays (in parameterArrays order) behind each of the library's names. */
function byLibraryName(arrays, depth) {
  const hidden = Array.from({ length: depth }, (_, l) => l);
  const part = (l, k) => arrays[4 * l + k];
  return {
    w_in: [part(0, 0)], b_in: [part(0, 1)],
    w_hidden: hidden.slice(1).map((l) => part(l, 0)), b_hidden: hidden.slice(1).map((l) => part(l, 1)),
    gamma: hidden.map((l) => part(l, 2)), beta: hidden.map((l) => part(l, 3)),
    w_out: [arrays[4 * depth]], b_out: [arrays[4 * depth + 1]],
  };
}

function load(arrays, depth, flat) {
  for (const [name, parts] of Object.entries(byLibraryName(arrays, depth))) {
    let offset = 0;
    for (const p of parts) {
      p.set(flat[name].slice(offset, offset + p.length));
      offset += p.length;
    }
  }
}

function read(arrays, depth) {
  const out = {};
  for (const [name, parts] of Object.entries(byLibraryName(arrays, depth))) {
    out[name] = parts.flatMap((p) => Array.from(p));
  }
  return out;
}

/** Feed one oracle case to the engine: its weights, its batches, its learning rate and
 * momentum. Returns the engine's answers under the names the library used. */
export function runOracleCase(c) {
  const cfg = { ...c.config, inDim: c.x.length / c.y.length, classes: 10 };
  const net = createNetwork(cfg);
  const params = parameterArrays(net);
  load(params, cfg.depth, c.params);
  const batch = (idx) => {
    const x = new Float64Array(idx.length * cfg.inDim);
    idx.forEach((row, i) => x.set(c.x.slice(row * cfg.inDim, (row + 1) * cfg.inDim), i * cfg.inDim));
    return [x, Int32Array.from(idx, (row) => c.y[row])];
  };
  const grads = zerosLike(params);
  const first = forwardBackward(net, cfg, ...batch(c.batches[0]), c.batches[0].length, grads);
  const answer = {
    loss: first.loss, signal: Array.from(first.signal), grads: read(grads, cfg.depth),
    weight_grad_norm: weightPositions(cfg.depth).map((p) => norm(grads[p])),
  };
  const velocity = zerosLike(params), losses = [];
  for (const idx of c.batches) {
    losses.push(forwardBackward(net, cfg, ...batch(idx), idx.length, grads).loss);
    momentumStep(net, velocity, grads, c.train.learning_rate, c.train.momentum);
  }
  answer.train = { losses, params: read(params, cfg.depth) };
  return answer;
}
