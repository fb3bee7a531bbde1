// Cocreate's small page behaviours. Every one improves markup that already works without JavaScript:
// menus are <details>, destructive actions are <details class="confirm"> disclosures, toasts are plain text.
(function () {
  "use strict";

  const root = document.documentElement;
  root.classList.add("js");

  // --- Menus (<details data-menu>): one open at a time, closed by Escape or a click elsewhere. ------------------
  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach((menu) => {
      if (menu !== except) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", (event) => {
    const inside = event.target.closest("details[data-menu]");
    closeMenus(inside);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = document.querySelector("details[data-menu][open]");
    if (open) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });

  // --- Toasts ------------------------------------------------------------------------------------------------
  const TOAST_SECONDS = { error: 10, warning: 8 };
  const ICONS = {
    success: '<circle cx="12" cy="12" r="9"/><path d="m8.5 12.5 2.5 2.5 4.5-5"/>',
    error: '<path d="M12 9v4m0 4h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"/>',
    info: '<circle cx="12" cy="12" r="9"/><path d="M12 16v-4m0-4h.01"/>',
  };
  const SVG_NS = "http://www.w3.org/2000/svg";

  function svgIcon(paths, className) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("fill", "none");
    svg.setAttribute("stroke", "currentColor");
    svg.setAttribute("stroke-width", "1.8");
    svg.setAttribute("stroke-linecap", "round");
    svg.setAttribute("stroke-linejoin", "round");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", className);
    // Our own constant markup, never user text.
    svg.innerHTML = paths;
    return svg;
  }

  function dismiss(toast) {
    if (toast.classList.contains("is-leaving")) return;
    toast.classList.add("is-leaving");
    setTimeout(() => toast.remove(), 220);
  }

  function arm(toast) {
    if (toast.dataset.armed) return;
    toast.dataset.armed = "1";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn toast__close";
    close.setAttribute("aria-label", "Dismiss notification");
    close.appendChild(svgIcon('<path d="M18 6 6 18M6 6l12 12"/>', ""));
    close.addEventListener("click", () => dismiss(toast));
    toast.appendChild(close);
    const seconds = TOAST_SECONDS[toast.dataset.level] || 5;
    let timer = setTimeout(() => dismiss(toast), seconds * 1000);
    // Reading or pointing at a toast keeps it.
    const hold = () => clearTimeout(timer);
    const release = () => {
      clearTimeout(timer);
      timer = setTimeout(() => dismiss(toast), 3000);
    };
    toast.addEventListener("mouseenter", hold);
    toast.addEventListener("focusin", hold);
    toast.addEventListener("mouseleave", release);
    toast.addEventListener("focusout", release);
  }

  function showToast(message, level) {
    const list = document.getElementById("toasts");
    if (!list || !message) return;
    const toast = document.createElement("li");
    const tone = ICONS[level] ? level : level === "warning" ? "error" : "info";
    toast.className = `toast toast-${level || "info"}`;
    toast.dataset.level = level || "info";
    toast.appendChild(svgIcon(ICONS[tone] || ICONS.info, "toast__icon"));
    const text = document.createElement("span");
    text.className = "toast__text";
    text.textContent = message;
    toast.appendChild(text);
    list.appendChild(toast);
    arm(toast);
  }
  window.cocreateToast = showToast;

  // An htmx answer can carry a toast: HX-Trigger: {"toast": {"message": "Saved", "level": "success"}}.
  document.addEventListener("toast", (event) => {
    const detail = event.detail || {};
    showToast(detail.message || detail.value, detail.level || "success");
  });

  // --- Confirm: <details class="confirm"> opens as a modal dialog --------------------------------------------
  let dialog = null;
  let borrowed = null; // { form, home, marker } while a form sits in the dialog

  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
    dialog.setAttribute("aria-describedby", "confirm-dialog-text");
    const body = document.createElement("div");
    body.className = "dialog__body";
    const icon = document.createElement("div");
    icon.className = "dialog__icon";
    icon.appendChild(svgIcon(ICONS.error, ""));
    const words = document.createElement("div");
    const title = document.createElement("h2");
    title.className = "dialog__title";
    title.id = "confirm-dialog-title";
    const text = document.createElement("div");
    text.className = "dialog__text";
    text.id = "confirm-dialog-text";
    words.append(title, text);
    body.append(icon, words);
    const footer = document.createElement("div");
    footer.className = "dialog__footer";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-secondary";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", () => dialog.close());
    footer.appendChild(cancel);
    dialog.append(body, footer);
    dialog.addEventListener("close", giveBack);
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    document.body.appendChild(dialog);
  }

  function giveBack() {
    if (!borrowed) return;
    borrowed.marker.replaceWith(borrowed.form);
    borrowed.form.classList.remove("dialog__form");
    borrowed.details.removeAttribute("open");
    borrowed.details.querySelector("summary").focus();
    borrowed = null;
  }

  function openConfirm(details) {
    const form = details.querySelector("form");
    if (!form || typeof HTMLDialogElement === "undefined") return false;
    if (!dialog) buildDialog();
    const summary = details.querySelector("summary");
    dialog.querySelector(".dialog__title").textContent =
      details.dataset.confirmTitle || summary.textContent.replace(/…\s*$/, "").trim() + "?";
    const text = dialog.querySelector(".dialog__text");
    text.replaceChildren();
    details.querySelectorAll(":scope > p, :scope > .confirm__panel > p").forEach((p) => {
      text.appendChild(p.cloneNode(true));
    });
    // The form itself moves into the dialog (its fields, CSRF token and htmx wiring come along) and goes back
    // when the dialog closes.
    const marker = document.createComment("confirm form");
    form.replaceWith(marker);
    form.classList.add("dialog__form");
    borrowed = { form, marker, details };
    const footer = dialog.querySelector(".dialog__footer");
    footer.appendChild(form);
    dialog.showModal();
    footer.querySelector("button").focus(); // Cancel first: the safe choice is the default
    return true;
  }

  document.addEventListener("click", (event) => {
    const summary = event.target.closest("details.confirm > summary");
    if (!summary) return;
    const details = summary.parentElement;
    if (details.open) return; // the disclosure is already showing its own button
    if (openConfirm(details)) event.preventDefault();
  });
  document.addEventListener("submit", (event) => {
    if (borrowed && event.target === borrowed.form && !borrowed.form.hasAttribute("hx-post")) {
      // A plain POST: the page is about to change; keep the form where it is.
      borrowed = null;
    }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (dialog && dialog.open && borrowed && borrowed.form.contains(event.target)) dialog.close();
  });

  // --- htmx: a progress bar while requests run, aria-busy on what is being replaced --------------------------
  let running = 0;
  document.addEventListener("htmx:beforeRequest", (event) => {
    running += 1;
    root.classList.add("is-loading");
    const target = event.detail && event.detail.target;
    if (target) target.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    running = Math.max(0, running - 1);
    if (!running) root.classList.remove("is-loading");
    const target = event.detail && event.detail.target;
    if (target) target.removeAttribute("aria-busy");
  });

  // --- Start --------------------------------------------------------------------------------------------------
  function start() {
    document.querySelectorAll("#toasts .toast").forEach(arm);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
