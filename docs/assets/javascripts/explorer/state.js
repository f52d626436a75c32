/* The explorer's settings, declared once: the URL keeps them (?a=relu&i=he&d=20...), the
 * controls are built from them, and presets and the chapters' "try it yourself" links
 * speak the same words. The starting values come from figures/data/explorer_data.json
 * (scripts/explorer_data.py), so the page's prose and the explorer agree. */

const ACTIVATIONS = [["sigmoid", "sigmoid"], ["tanh", "tanh"], ["relu", "ReLU"], ["leaky_relu", "leaky ReLU"],
  ["gelu", "GELU"]];
const INITS = [["standard_normal", "standard normal"], ["xavier", "Xavier"], ["he", "He"]];

// name: the engine's word; key: the URL's. A field has options (a menu), flag (a
// checkbox), values (a slider over a list) or min/max/step (a slider).
export const FIELDS = [
  { name: "activation", key: "a", label: "Activation", group: "network", options: ACTIVATIONS },
  { name: "init", key: "i", label: "Initialization", group: "network", options: INITS },
  { name: "gain", key: "g", label: "Weight scale (gain)", group: "network", min: 0.25, max: 4, step: 0.05 },
  { name: "depth", key: "d", label: "Hidden layers", group: "network", min: 1, max: 100, step: 1 },
  { name: "width", key: "w", label: "Units per layer", group: "network", min: 4, max: 64, step: 1 },
  { name: "residual", key: "r", label: "Residual connections", group: "network", flag: true },
  { name: "branchScale", key: "s", label: "Residual branch scale", group: "network", min: 0.05, max: 1, step: 0.05 },
  { name: "batchnorm", key: "b", label: "Batch norm", group: "network", flag: true },
  { name: "learningRate", key: "lr", label: "Learning rate", group: "training",
    values: [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1] },
  { name: "momentum", key: "m", label: "Momentum", group: "training", min: 0, max: 0.99, step: 0.01 },
  { name: "batchSize", key: "n", label: "Batch size", group: "training", values: [8, 16, 32, 64, 128] },
  { name: "seed", key: "seed", label: "Random seed", group: "training", min: 0, max: 99, step: 1 },
];

/** A field's value from text (a URL parameter or a control), or undefined if not allowed. */
export function parseField(field, text) {
  if (text === null || text === undefined) return undefined;
  if (field.options) return field.options.some(([value]) => value === text) ? text : undefined;
  if (field.flag) return text === "1" ? true : text === "0" ? false : undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || text.trim() === "") return undefined;
  if (field.values) return field.values.includes(value) ? value : undefined;
  if (value < field.min || value > field.max) return undefined;
  const steps = Math.round((value - field.min) / field.step);
  return Math.abs(field.min + steps * field.step - value) < 1e-9 ? value : undefined;
}

export function formatField(field, value) {
  return field.flag ? (value ? "1" : "0") : String(value);
}

/** The settings in a query string, each one valid or else its default. */
export function readState(search, defaults) {
  const query = new URLSearchParams(search);
  const state = {};
  for (const field of FIELDS) {
    const value = parseField(field, query.get(field.key));
    state[field.name] = value === undefined ? defaults[field.name] : value;
  }
  return state;
}

/** Every setting as a query string (all of them, so that a copied link is complete). */
export function stateQuery(state) {
  const query = new URLSearchParams();
  for (const field of FIELDS) query.set(field.key, formatField(field, state[field.name]));
  return query.toString();
}

/** A short description of a network for legends and tables. */
export function describe(state) {
  const label = (field, value) => field.options.find(([v]) => v === value)[1];
  const [activation, init] = FIELDS;
  const parts = [`${state.depth} × ${state.width}`, label(activation, state.activation),
    label(init, state.init) + (state.gain === 1 ? "" : ` × ${state.gain}`)];
  if (state.residual) parts.push(`residual ${state.branchScale}`);
  if (state.batchnorm) parts.push("batch norm");
  parts.push(`lr ${state.learningRate}`);
  return parts.join(", ");
}
