// The bell in the app bar: its count follows new notifications without a reload, and its panel loads the latest
// unread when it opens. htmx fetches the fragments; this script only says when (allowEval is off, so htmx's own
// "every 20s [condition]" trigger filters are not available). Without JavaScript the bell is a disclosure whose
// panel links to the centre.
(function () {
  "use strict";
  const POLL_MS = 20000;
  const FOCUS_GAP_MS = 2000;
  let last = 0;

  function countNow() {
    const badge = document.querySelector("#bell-count [data-count]");
    return badge ? Number(badge.dataset.count) || 0 : 0;
  }

  function poll() {
    if (document.visibilityState !== "visible" || !window.htmx) return; // paused while the tab is hidden
    const now = Date.now();
    if (now - last < FOCUS_GAP_MS) return;
    last = now;
    window.htmx.trigger(document.body, "notifications-changed");
  }

  function start() {
    const count = document.getElementById("bell-count");
    if (!count) return;
    let before = countNow();
    setInterval(poll, POLL_MS);
    window.addEventListener("focus", poll);
    document.addEventListener("visibilitychange", poll);
    // Say it when more arrive (a polite status region next to the bell).
    document.body.addEventListener("htmx:afterSwap", (event) => {
      if (event.target !== count) return;
      const after = countNow();
      const live = document.getElementById("bell-live");
      if (live && after > before) live.textContent = `${after} unread notification${after === 1 ? "" : "s"}`;
      before = after;
    });
    const menu = count.closest("details");
    const latest = document.getElementById("bell-latest");
    if (menu && latest) {
      menu.addEventListener("toggle", () => {
        if (menu.open && window.htmx) window.htmx.trigger(latest, "bell-open");
      });
    }
    // After "Mark read" swaps an item, keep the keyboard where it was: on that item's link.
    let marking = null;
    document.body.addEventListener("htmx:beforeRequest", (event) => {
      const item = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest(".notif");
      if (item) marking = item.id;
    });
    document.body.addEventListener("htmx:afterSettle", (event) => {
      if (!marking || !event.detail.elt || event.detail.elt.id !== marking) return;
      const link = document.querySelector(`#${marking} .notif__title`);
      marking = null;
      if (link) link.focus();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
