// The calendar feed's Copy button (templates/planning/feed_card.html): shown only when the clipboard can be
// written; without it the address is still there to select and copy by hand.
(() => {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const input = document.querySelector(button.dataset.copy);
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        if (window.cocreateToast) window.cocreateToast("Calendar address copied.", "success");
      } catch (error) {
        input.select();
        if (window.cocreateToast) window.cocreateToast("Copying was refused: the address is selected, copy it by hand.", "error");
      }
    });
  });
  document.querySelectorAll(".copy-field__input").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
})();
