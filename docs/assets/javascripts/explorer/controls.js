/* The explorer's widgets, each mounted on its own element: the settings form (built from
 * state.js's FIELDS), the preset buttons, and the Play / Pause / Step / Reset / Pin bar. */
import { htmlNode } from "./chart.js";
import { FIELDS, formatField, parseField } from "./state.js";

/** One control per field; onChange(name, value) when the reader settles on a value. */
export function mountSettings(element, state, onChange) {
  const form = htmlNode("form", { class: "explorer-settings", "aria-label": "Network and training settings" });
  form.addEventListener("submit", (event) => event.preventDefault());
  const groups = { network: "Network", training: "Training" };
  const setters = {};
  for (const [group, legend] of Object.entries(groups)) {
    const fieldset = htmlNode("fieldset");
    fieldset.appendChild(htmlNode("legend", {}, legend));
    for (const field of FIELDS.filter((f) => f.group === group)) {
      const { wrap, set } = control(field, (value) => onChange(field.name, value));
      setters[field.name] = set;
      fieldset.appendChild(wrap);
    }
    form.appendChild(fieldset);
  }
  element.appendChild(form);
  const update = (next) => Object.entries(setters).forEach(([name, set]) => set(next[name]));
  update(state);
  return { update };
}

function control(field, changed) {
  const id = "explorer-" + field.key;
  const wrap = htmlNode("div", { class: "explorer-field" + (field.flag ? " explorer-check" : "") });
  const label = htmlNode("label", { for: id }, field.label);
  if (field.options) {
    const select = htmlNode("select", { id });
    for (const [value, text] of field.options) select.appendChild(htmlNode("option", { value }, text));
    select.addEventListener("change", () => changed(select.value));
    wrap.append(label, select);
    return { wrap, set: (value) => { select.value = value; } };
  }
  if (field.flag) {
    const box = htmlNode("input", { type: "checkbox", id });
    box.addEventListener("change", () => changed(box.checked));
    wrap.append(box, label);
    return { wrap, set: (value) => { box.checked = value; } };
  }
  // A slider; a list of values is a slider over their positions.
  const list = field.values;
  const slider = htmlNode("input", list
    ? { type: "range", id, min: 0, max: list.length - 1, step: 1 }
    : { type: "range", id, min: field.min, max: field.max, step: field.step });
  const output = htmlNode("output", { for: id, "aria-hidden": "true" });
  const valueOf = () => (list ? list[Number(slider.value)] : parseField(field, slider.value));
  const show = () => {
    output.textContent = formatField(field, valueOf());
    slider.setAttribute("aria-valuetext", output.textContent);
  };
  slider.addEventListener("input", show); // the number follows the thumb...
  slider.addEventListener("change", () => changed(valueOf())); // ...the run restarts on release
  const top = htmlNode("div", { class: "explorer-slider-label" });
  top.append(label, output);
  wrap.append(top, slider);
  return { wrap, set: (value) => { slider.value = list ? String(list.indexOf(value)) : String(value); show(); } };
}

/** A button per preset; onPick(preset). */
export function mountPresets(element, presets, onPick) {
  const group = htmlNode("div", { class: "explorer-presets", role: "group", "aria-label": "Presets" });
  for (const preset of presets) {
    const button = htmlNode("button", { type: "button", class: "explorer-preset", "data-preset": preset.name },
      preset.label);
    button.addEventListener("click", () => onPick(preset));
    group.appendChild(button);
  }
  element.appendChild(group);
}

/** Play / Pause, Step, Reset and Pin; handlers: { play, pause, step, reset, pin }. */
export function mountPlayback(element, handlers) {
  const bar = htmlNode("div", { class: "explorer-playback", role: "group", "aria-label": "Training" });
  const button = (text, action) => {
    const b = htmlNode("button", { type: "button", class: "explorer-button" }, text);
    b.addEventListener("click", action);
    bar.appendChild(b);
    return b;
  };
  let playing = false;
  const play = button("Play", () => (playing ? handlers.pause() : handlers.play()));
  const step = button("Step", handlers.step);
  button("Reset", handlers.reset);
  const pin = button("Pin this run", handlers.pin);
  const status = htmlNode("p", { class: "explorer-status", role: "status" });
  element.append(bar, status);

  /** Show the run's state; `announce` (a sentence) goes to the status line. */
  function update({ isPlaying, canStep, canPin, announce }) {
    playing = isPlaying;
    play.textContent = isPlaying ? "Pause" : "Play";
    play.setAttribute("aria-pressed", String(isPlaying));
    play.disabled = !isPlaying && !canStep; // a diverged run cannot go on
    step.disabled = isPlaying || !canStep;
    pin.disabled = !canPin;
    if (announce !== undefined) status.textContent = announce;
  }
  return { update };
}
