// The review queue: j / k move the focus through the rows (the row's link takes the focus, so screen readers
// announce the draft), Enter follows it (the link's own behaviour). Ignored while typing in a field.
(function () {
  "use strict";
  function links() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-queue] [data-queue-link]"));
  }
  function move(step) {
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
    all.forEach(function (link) { link.closest("tr").classList.remove("is-focused"); });
    all[next].closest("tr").classList.add("is-focused");
    all[next].focus();
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "j") { event.preventDefault(); move(1); }
    else if (event.key === "k") { event.preventDefault(); move(-1); }
  });
})();
