// Colours change at once when the reader flips the light/dark toggle, without a fade.
// Material switches transitions off with a rule on every element that it also applies at
// each page load, restyling the whole page twice; hooks/theme_restyles.py removes that rule, and
// this script does the same job only when the reader actually flips the theme. It listens
// in the capture phase, so the class is on before Material's own handler changes colours.
document.addEventListener("change", (event) => {
  if (!(event.target instanceof HTMLInputElement) || event.target.name !== "__palette") return;
  const root = document.documentElement;
  root.classList.add("palette-switching");
  requestAnimationFrame(() => requestAnimationFrame(() => root.classList.remove("palette-switching")));
}, true);
