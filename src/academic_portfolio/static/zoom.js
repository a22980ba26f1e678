// Click-to-zoom for project figures (portfolio.figures): a figure's link opens
// the full image in a modal dialog; Escape, the Close button or a click beside
// the image closes it and gives focus back to the link. Enter on the focused
// link is a click. Without this script the link opens the image itself.
"use strict";
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.figure-zoom");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  const dialog = document.createElement("dialog");
  dialog.className = "figure-dialog";
  dialog.setAttribute("aria-label", link.getAttribute("aria-label"));
  const close = document.createElement("button");
  close.type = "button";
  close.className = "figure-dialog-close";
  close.textContent = "Close";
  const image = document.createElement("img");
  image.src = link.href;
  image.alt = link.querySelector("img").alt;
  dialog.append(close, image);
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
  dialog.addEventListener("close", () => { dialog.remove(); link.focus(); });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
});
