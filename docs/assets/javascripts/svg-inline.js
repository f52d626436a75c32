/* Shared parts of the step-through widgets: the figure's SVG put into the page, so that a
 * widget can light up its parts, and the row of step controls.
 *
 *
 * Figure scripts give the parts a widget needs an id (matplotlib's gid). The SVG is the
 * one the <img> chose (the phone variant on a narrow screen), fetched from the site and
 * imported with DOMParser: no innerHTML. Matplotlib's global "*" style rule is dropped,
 * and the image's alt text becomes the SVG's accessible name.
 */
export async function inlineSvg(img) {
  if (!img.complete) await new Promise((resolve) => img.addEventListener("load", resolve, { once: true }));
  const response = await fetch(img.currentSrc || img.src);
  const doc = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
  const svg = document.importNode(doc.documentElement, true);
  if (svg.nodeName.toLowerCase() !== "svg") throw new Error("not an SVG");
  for (const style of svg.querySelectorAll("style")) style.remove();
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", img.alt);
  svg.classList.add("stepper-svg");
  (img.closest("picture") || img).replaceWith(svg);
  return svg;
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The row of controls every stepper has: its step button, Play/Pause and Reset. */
export function stepButtons(stepLabel) {
  const row = element("div", "stepper-buttons");
  const step = element("button", "md-button md-button--primary", stepLabel);
  const play = element("button", "md-button", "Play");
  const reset = element("button", "md-button", "Reset");
  for (const button of [step, play, reset]) button.type = "button";
  play.setAttribute("aria-pressed", "false");
  row.append(step, play, reset);
  return { row, step, play, reset };
}
