/* The explorer page: wires the settings, the training worker and the live views together.
 *
 * docs/explorer.md holds <div id="explorer" data-src=... data-digits=...> around the
 * static figure that readers without JavaScript see. This module replaces that figure
 * with the live explorer: training runs in a Web Worker (worker.js, around engine.js),
 * the views redraw once per animation frame, and the address bar keeps the settings.
 * For tests, #explorer carries data-ready, data-step, data-playing and data-state. */
import { htmlNode } from "./chart.js";
import { mountPlayback, mountPresets, mountSettings } from "./controls.js";
import { RunHistory } from "./history.js";
import { readState, stateQuery } from "./state.js";
import { chartSize, mountHeatmap, mountLegend, mountLoss, mountReadout, mountSaturation, mountSignal } from "./views.js";

const MAX_PINS = 3;
const DESCRIBE_EVERY_MS = 1000; // the screen-reader tables follow a running run this often

async function start(root) {
  root.dataset.ready = "loading";
  const response = await fetch(new URL(root.dataset.src, window.location.href));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const setup = await response.json();
  let state = readState(window.location.search, setup.defaults);

  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.postMessage({ type: "data", url: new URL(root.dataset.digits, window.location.href).href });

  // The panel takes the place of the static figure and its code box (what the page holds
  // for readers without JavaScript), at the same height on the page: nothing the reader
  // sees moves when the explorer starts (no layout shift).
  const fallback = [...root.children];
  const panel = root.insertBefore(htmlNode("div", { class: "explorer-panel" }), root.firstChild); // in place first: views size to it
  const part = (cls) => panel.appendChild(htmlNode("div", { class: cls }));
  const model = { current: null, previous: null, pins: [], claims: setup.claims };
  let runs = 0, playing = false, described = 0, frame = 0;

  mountPresets(part("explorer-presets-row"), setup.presets, (preset) => {
    state = { ...preset.config };
    settings.update(state);
    restart();
    play(setup.claims.horizon);
  });
  const settings = mountSettings(part("explorer-settings-row"), state, (name, value) => {
    state = { ...state, [name]: value };
    restart();
  });
  const playback = mountPlayback(part("explorer-controls"), {
    play: () => play(), pause, step: () => worker.postMessage({ type: "step" }), reset: restart,
    pin: () => {
      model.pins = [...model.pins.filter((p) => p.id !== model.current.id), model.current.snapshot()].slice(-MAX_PINS);
      render();
    },
  });
  const readout = mountReadout(part("explorer-readout"));
  const legend = mountLegend(part("explorer-runs"), (k) => {
    model.pins = model.pins.filter((_, j) => j !== k);
    render();
  });
  const size = chartSize(panel); // every chart is as wide as the panel: one measurement, one layout
  const views = [mountLoss, mountSignal, mountHeatmap, mountSaturation].map((mount) => mount(part("explorer-view"), size));
  for (const element of fallback) element.hidden = true;

  function restart() {
    if (model.current && model.current.steps > 0) model.previous = model.current;
    model.current = new RunHistory(++runs, { ...state });
    playing = false;
    worker.postMessage({ type: "reset", run: runs, config: { ...state } });
    const query = stateQuery(state);
    window.history.replaceState(window.history.state, "", `${window.location.pathname}?${query}`);
    Object.assign(root.dataset, { state: query, step: 0, playing: false });
    render("");
  }

  function play(until) {
    playing = true;
    worker.postMessage({ type: "play", until });
    render("");
  }

  function pause() {
    playing = false; // the worker confirms with a last message; the status line says so then
    worker.postMessage({ type: "pause" });
    render();
  }

  worker.onmessage = ({ data: message }) => {
    if (message.type === "error") {
      root.dataset.ready = "failed";
      playback.update({ isPlaying: false, canStep: false, canPin: false, announce: `The explorer stopped: ${message.message}` });
      return;
    }
    if (message.run !== model.current.id) return; // from a run that was reset meanwhile
    message.records.forEach((record) => model.current.add(record));
    if (message.done) {
      const run = model.current, pausedByReader = !playing;
      playing = false;
      render(run.divergedAt !== null ? `Training diverged at step ${run.divergedAt}.`
        : pausedByReader ? `Paused at step ${run.steps}.` : `Stopped after ${run.steps} steps.`);
    } else if (!frame) {
      frame = window.requestAnimationFrame(() => render());
    }
  };

  /** Redraw every view; `announce` (a sentence) goes to the status line. */
  function render(announce) {
    window.cancelAnimationFrame(frame);
    frame = 0;
    const run = model.current;
    playback.update({ isPlaying: playing, canStep: run.divergedAt === null, canPin: run.steps > 0, announce });
    if (!run.initial) return; // the worker has not measured the new network yet
    views.forEach((view) => view.update(model));
    readout.update(model);
    legend.update(model);
    const now = window.performance.now();
    if (!playing || now - described > DESCRIBE_EVERY_MS) {
      views.forEach((view) => view.describe(model));
      described = now;
    }
    Object.assign(root.dataset, { step: run.steps, playing, ready: "true" });
  }

  restart();
}

const root = document.getElementById("explorer");
if (root) {
  start(root).catch((error) => {
    root.dataset.ready = "failed";
    root.appendChild(htmlNode("p", { class: "explorer-note", role: "status" },
      `The explorer could not start (${error.message}); the figure above shows two of its presets.`));
  });
}
