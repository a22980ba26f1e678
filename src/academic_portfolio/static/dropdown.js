// The theme's one dropdown (the colour-mode menu), without Bootstrap's 80 KB:
// open and close on click, close on Escape, on a click elsewhere or after a
// choice, and keep aria-expanded true to the menu's state.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const toggles = [...document.querySelectorAll('[data-bs-toggle="dropdown"]')];
  const menuOf = (toggle) => toggle.parentElement.querySelector(".dropdown-menu");
  const close = (toggle) => {
    menuOf(toggle)?.classList.remove("show");
    toggle.setAttribute("aria-expanded", "false");
  };
  for (const toggle of toggles) {
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", (event) => {
      event.stopPropagation();
      const open = !menuOf(toggle).classList.contains("show");
      toggles.forEach(close);
      menuOf(toggle).classList.toggle("show", open);
      toggle.setAttribute("aria-expanded", String(open));
      if (open) menuOf(toggle).querySelector("button, a")?.focus();
    });
    menuOf(toggle).addEventListener("click", () => close(toggle));
  }
  document.addEventListener("click", () => toggles.forEach(close));
  // Capture: before a side panel (a <dialog>) takes Escape to close itself.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const toggle of toggles) {
      if (menuOf(toggle).classList.contains("show")) {
        close(toggle);
        toggle.focus();
      }
    }
  }, true);
});
