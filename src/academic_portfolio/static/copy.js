// A visible "Copy" button on each BibTeX block: one click or tap puts the entry
// on the clipboard. (sphinx-copybutton showed its button on hover only, which
// phones never do, and brought clipboard.js, which browsers no longer need.)
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const block of document.querySelectorAll("div.bibtex")) {
    const pre = block.querySelector("pre");
    const button = document.createElement("button");
    const status = document.createElement("span");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy BibTeX");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    let timer;
    const say = (label, message) => {
      button.textContent = label;
      status.textContent = message;
      clearTimeout(timer);
      timer = setTimeout(() => { button.textContent = "Copy"; status.textContent = ""; }, 2000);
    };
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(pre.innerText.trim() + "\n");
        say("Copied", "BibTeX copied.");
      } catch {
        // No clipboard here (a page opened from disk or over plain http):
        // select the entry, ready for Ctrl+C.
        getSelection().selectAllChildren(pre);
        say("Selected", "BibTeX selected: press Ctrl+C (or Cmd+C) to copy it.");
      }
    });
    block.prepend(button, status);
  }
});
