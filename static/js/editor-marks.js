// Guideline problems at their place in the text. Behind each text box that has a problem sits a mirror of it
// (same font, padding, wrapping and scroll; the box itself is made transparent), in which the wrong passage is
// marked. The caret inside a marked passage shows and announces its message (the box is described by it), the
// pointer over it gives it as the box's tooltip, and each entry of the problem list selects its passage.
// The marks follow the live check: they are placed on the text that was checked and moved along with what is
// typed until the next check answers. Without this file the list still says where each problem is.
(function () {
  "use strict";

  const root = document.getElementById("editor");
  const form = document.getElementById("draft-form");
  if (!root || !form) return;

  const layers = new Map(); // textarea -> its layer: {wrap, mirror, note, text, marks}
  let checked = {}; // field name -> its text as the last live check was sent it
  let sending = {};

  // --- Offsets: the checker counts code points; JavaScript strings count UTF-16 units.

  // The UTF-16 index of a 1-based line and column (in code points), as the checker reports them. Lines and
  // columns rather than an offset from the start: the form sends line ends as CRLF, the box has LF.
  function indexAt(text, line, column) {
    let index = 0;
    for (let n = 1; n < line; n += 1) {
      const next = text.indexOf("\n", index);
      if (next < 0) return text.length;
      index = next + 1;
    }
    return advance(text, index, column - 1);
  }

  function advance(text, index, codePoints) {
    let at = index;
    for (let n = 0; n < codePoints && at < text.length; n += 1) {
      const unit = text.charCodeAt(at);
      at += unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length ? 2 : 1;
    }
    return at;
  }

  // Marks placed on `before` moved onto `after`: those before the edit stay, those after it shift, those the
  // edit touched are dropped (the next check puts them back if they still apply).
  function carry(marks, before, after) {
    if (before === after) return marks;
    const shortest = Math.min(before.length, after.length);
    let head = 0;
    while (head < shortest && before[head] === after[head]) head += 1;
    let tail = 0;
    while (tail < shortest - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail += 1;
    const editEnd = before.length - tail;
    const shift = after.length - before.length;
    return marks.flatMap(function (mark) {
      if (mark.end <= head) return [mark];
      if (mark.start >= editEnd) return [Object.assign({}, mark, { start: mark.start + shift, end: mark.end + shift })];
      return [];
    });
  }

  // --- The layer behind a text box.

  const COPIED = [
    "boxSizing", "fontFamily", "fontSize", "fontWeight", "fontStyle", "lineHeight", "letterSpacing", "wordSpacing",
    "textIndent", "textTransform", "tabSize", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
    "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderTopLeftRadius",
    "borderTopRightRadius", "borderBottomLeftRadius", "borderBottomRightRadius",
  ];

  function layerFor(box) {
    let layer = layers.get(box);
    if (layer) return layer;
    const wrap = document.createElement("div");
    wrap.className = "marks-wrap";
    const mirror = document.createElement("div");
    mirror.className = "marks-mirror";
    mirror.setAttribute("aria-hidden", "true");
    const note = document.createElement("p");
    note.className = "marks-note";
    note.id = box.id + "-marks-note";
    note.setAttribute("aria-live", "polite");
    const style = getComputedStyle(box);
    mirror.style.backgroundColor = style.backgroundColor;
    const focused = document.activeElement === box;
    const selection = [box.selectionStart, box.selectionEnd, box.selectionDirection, box.scrollTop];
    box.parentNode.insertBefore(wrap, box);
    wrap.appendChild(mirror);
    wrap.appendChild(box); // moving the box blurs it: the writer's place is given back below
    wrap.after(note);
    if (focused) {
      box.focus({ preventScroll: true });
      box.setSelectionRange(selection[0], selection[1], selection[2]);
      box.scrollTop = selection[3];
    }
    box.classList.add("marked");
    const described = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    box.setAttribute("aria-describedby", described.concat(note.id).join(" "));
    layer = { wrap: wrap, mirror: mirror, note: note, text: box.value, marks: [], painted: false };
    layers.set(box, layer);
    box.addEventListener("scroll", function () {
      mirror.scrollTop = box.scrollTop;
      mirror.scrollLeft = box.scrollLeft;
    });
    ["keyup", "click", "select", "focus"].forEach(function (name) {
      box.addEventListener(name, function () {
        tellAtCaret(box);
      });
    });
    box.addEventListener("mousemove", function (event) {
      const mark = markAtPoint(layer, event.clientX, event.clientY);
      if (mark) box.title = mark.message;
      else box.removeAttribute("title");
    });
    if (window.ResizeObserver) new ResizeObserver(function () { fit(box, layer); }).observe(box);
    fit(box, layer);
    return layer;
  }

  // The mirror's text area matches the box's, whose scroll bar (when it has one) takes some of its width.
  function fit(box, layer) {
    const style = getComputedStyle(box);
    COPIED.forEach(function (name) {
      layer.mirror.style[name] = style[name];
    });
    const borders = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
    const scrollbar = Math.max(0, box.offsetWidth - box.clientWidth - borders);
    layer.mirror.style.paddingRight = parseFloat(style.paddingRight) + scrollbar + "px";
    layer.mirror.scrollTop = box.scrollTop;
  }

  function paint(box, layer) {
    const mirror = layer.mirror;
    const text = box.value;
    layer.text = text;
    if (!layer.marks.length) {
      if (layer.painted) mirror.textContent = "";
      layer.painted = false;
      layer.note.textContent = "";
      box.removeAttribute("title");
      return;
    }
    const parts = document.createDocumentFragment();
    let at = 0;
    layer.marks.forEach(function (mark) {
      if (mark.start < at) return; // overlapping a mark already drawn: the list still has it
      parts.appendChild(document.createTextNode(text.slice(at, mark.start)));
      const marked = document.createElement("mark");
      marked.className = "guideline-mark";
      marked.dataset.severity = mark.severity;
      // A passage of nothing (a problem at the very end) is still shown, as a thin mark.
      marked.textContent = text.slice(mark.start, mark.end) || "\u200b";
      marked.dataset.problem = mark.id;
      parts.appendChild(marked);
      at = mark.end;
    });
    parts.appendChild(document.createTextNode(text.slice(at) + "\u200b")); // a last empty line keeps its height
    mirror.replaceChildren(parts);
    mirror.scrollTop = box.scrollTop;
    layer.painted = true;
    tellAtCaret(box);
  }

  function markAtCaret(layer, caret) {
    return layer.marks.find(function (mark) {
      return mark.start <= caret && caret <= mark.end;
    });
  }

  function tellAtCaret(box) {
    const layer = layers.get(box);
    if (!layer) return;
    const mark = document.activeElement === box ? markAtCaret(layer, box.selectionStart) : null;
    const text = mark ? "Guideline: " + mark.message : "";
    if (layer.note.textContent !== text) layer.note.textContent = text;
    layer.note.dataset.severity = mark ? mark.severity : "";
  }

  function markAtPoint(layer, x, y) {
    const marked = layer.mirror.querySelectorAll("mark");
    for (let i = 0; i < marked.length; i += 1) {
      const rects = marked[i].getClientRects();
      for (let j = 0; j < rects.length; j += 1) {
        const r = rects[j];
        if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) {
          return layer.marks.find(function (mark) {
            return mark.id === marked[i].dataset.problem;
          });
        }
      }
    }
    return null;
  }

  // --- The problems of the last check, from the list (drafts/_editor_problems.html).

  function variantFieldName(key) {
    return "variant_" + String(key).replace(/[^a-z0-9_]/g, "_");
  }

  // The text box a problem is in: title, body, or a variant by its key (a length limit names only the kind).
  function fieldOf(button) {
    if (button.dataset.field !== "variant") return form.elements[button.dataset.field] || null;
    const channel = button.dataset.channel || "";
    return form.elements[variantFieldName(channel)] || form.elements[variantFieldName("kind:" + channel)] || null;
  }

  function problemsOfTheCheck() {
    const list = document.getElementById("guideline-problems");
    const found = new Map(); // textarea -> marks
    if (!list) return found;
    list.querySelectorAll("button.jump[data-start]").forEach(function (button) {
      const box = fieldOf(button);
      if (!box || box.tagName !== "TEXTAREA") return;
      const text = Object.prototype.hasOwnProperty.call(checked, box.name) ? checked[box.name] : box.value;
      const start = indexAt(text, Number(button.dataset.line), Number(button.dataset.column));
      const end = advance(text, start, Number(button.dataset.end) - Number(button.dataset.start));
      const item = button.closest("li");
      const mark = {
        id: item ? item.id : "",
        start: start,
        end: end,
        severity: button.dataset.severity || "error",
        message: button.dataset.message || "",
        text: text,
      };
      if (!found.has(box)) found.set(box, []);
      found.get(box).push(mark);
    });
    return found;
  }

  function showTheCheck() {
    const found = problemsOfTheCheck();
    layers.forEach(function (layer, box) {
      if (!found.has(box)) {
        layer.marks = [];
        paint(box, layer);
      }
    });
    found.forEach(function (marks, box) {
      const layer = layerFor(box);
      const placed = marks.map(function (mark) {
        return carry([mark], mark.text, box.value)[0];
      });
      layer.marks = placed.filter(Boolean).sort(function (a, b) {
        return a.start - b.start || a.end - b.end;
      });
      paint(box, layer);
    });
  }

  // --- Following the live check and the typing. Every text box gets its layer now, before anyone types in it.

  Array.prototype.forEach.call(form.elements, function (field) {
    if (field.tagName === "TEXTAREA" && field.id) layerFor(field);
  });

  document.body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt !== form) return;
    sending = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.tagName === "TEXTAREA" && field.name) sending[field.name] = field.value;
    });
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form && event.detail.successful) checked = sending;
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    showTheCheck();
  });

  root.addEventListener("input", function (event) {
    const box = event.target;
    const layer = layers.get(box);
    if (!layer) return;
    layer.marks = carry(layer.marks, layer.text, box.value);
    paint(box, layer);
  });

  // --- The list: an entry selects its passage.

  root.addEventListener("click", function (event) {
    const button = event.target.closest("button.jump");
    if (!button) return;
    const field = fieldOf(button);
    if (!field) return;
    const details = field.closest("details");
    if (details) details.open = true;
    field.focus();
    const layer = layers.get(field);
    const item = button.closest("li");
    const mark = layer && item ? layer.marks.find(function (m) { return m.id === item.id; }) : null;
    if (mark) {
      field.setSelectionRange(mark.start, mark.end);
      const shown = layer.mirror.querySelector('mark[data-problem="' + mark.id + '"]');
      if (shown) field.scrollTop = Math.max(0, shown.offsetTop - field.clientHeight / 3);
      tellAtCaret(field);
    } else if (button.dataset.line) {
      // A problem not marked (in the title, or its passage was just edited): the place it was reported at.
      const start = indexAt(field.value, Number(button.dataset.line), Number(button.dataset.column));
      const length = button.dataset.end ? Number(button.dataset.end) - Number(button.dataset.start) : 0;
      field.setSelectionRange(start, advance(field.value, start, length));
    }
  });
})();
