// @mention autocomplete in the comment boxes of a draft's page. Typing "@" and letters in a comment box asks
// the draft's /mentions/ endpoint (only people who may see the draft) and offers at most 8 in a listbox under the
// box: ArrowDown/ArrowUp move, Enter or Tab inserts "@username ", Escape closes. The text box keeps focus and
// points at the active option with aria-activedescendant; a status line says how many match. Without
// JavaScript, typing @username by hand works the same.
(function () {
  "use strict";
  const root = document.querySelector("[data-mentions]");
  if (!root) return;
  const source = root.dataset.mentions;
  const TOKEN = /(^|[\s(])@([\w.-]{0,30})$/;
  let box = null, list = null, status = null, items = [], active = -1, range = null, asked = 0;

  function build() {
    list = document.createElement("ul");
    list.id = "mention-list";
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the text box
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) choose(Number(option.dataset.index));
    });
    status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.append(list, status);
  }

  function close() {
    if (!list) return;
    list.hidden = true;
    items = [];
    active = -1;
    if (box) box.removeAttribute("aria-activedescendant");
  }

  function place() {
    const rect = box.getBoundingClientRect();
    list.style.setProperty("--mention-top", `${rect.bottom + window.scrollY + 4}px`);
    list.style.setProperty("--mention-left", `${Math.max(8, rect.left + window.scrollX)}px`);
    list.style.setProperty("--mention-width", `${Math.min(rect.width, 320)}px`);
  }

  function render() {
    list.replaceChildren();
    items.forEach((person, index) => {
      const option = document.createElement("li");
      option.id = `mention-option-${index}`;
      option.setAttribute("role", "option");
      option.dataset.index = String(index);
      option.setAttribute("aria-selected", index === active ? "true" : "false");
      const name = document.createElement("strong");
      name.textContent = `@${person.username}`;
      option.appendChild(name);
      if (person.display_name) {
        const full = document.createElement("span");
        full.textContent = person.display_name;
        option.appendChild(full);
      }
      list.appendChild(option);
    });
    if (items.length && active >= 0) box.setAttribute("aria-activedescendant", `mention-option-${active}`);
    else box.removeAttribute("aria-activedescendant");
  }

  function choose(index) {
    const person = items[index];
    if (!person || !range) return;
    const text = box.value;
    const insert = `@${person.username} `;
    box.value = text.slice(0, range.start) + insert + text.slice(range.end);
    const caret = range.start + insert.length;
    box.setSelectionRange(caret, caret);
    status.textContent = `Mentioned @${person.username}`;
    close();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function lookup(textarea) {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = TOKEN.exec(before);
    if (!match) return close();
    box = textarea;
    range = { start: before.length - match[2].length - 1, end: textarea.selectionStart };
    const ticket = ++asked;
    fetch(`${source}?q=${encodeURIComponent(match[2])}`, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((body) => {
        if (ticket !== asked || document.activeElement !== textarea) return;
        items = body.results || [];
        if (!list) build();
        active = items.length ? 0 : -1;
        if (!items.length) {
          status.textContent = "Nobody to mention by that name";
          return close();
        }
        textarea.setAttribute("aria-controls", list.id);
        textarea.setAttribute("aria-autocomplete", "list");
        place();
        render();
        list.hidden = false;
        status.textContent = `${items.length} ${items.length === 1 ? "person" : "people"} to mention: up and down to choose, Enter to insert`;
      })
      .catch(() => close());
  }

  root.addEventListener("input", (event) => {
    if (event.target.matches("textarea[name=body]")) lookup(event.target);
  });
  root.addEventListener("focusout", (event) => {
    if (event.target === box) setTimeout(close, 100);
  });
  // Captured on the way down, so the page's own shortcuts (Escape in the passage form...) never see these keys.
  root.addEventListener(
    "keydown",
    (event) => {
      if (!list || list.hidden || event.target !== box || !items.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        render();
      } else if (event.key === "Enter" || event.key === "Tab") {
        choose(active < 0 ? 0 : active);
      } else if (event.key === "Escape") {
        close();
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    },
    true,
  );
})();
