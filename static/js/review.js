// The review page: comments on a selected passage, highlights of commented passages beside their comments,
// and keyboard shortcuts. Everything here improves a page that works without it (plain forms and links).
(function () {
  "use strict";

  var CONTEXT = 32; // characters of text kept before and after a passage (drafts.anchoring.CONTEXT_CHARS)
  var WIDE = window.matchMedia("(min-width: 64rem)");

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  // --- Text offsets in the draft's text (the same string the server anchors in) ---------------------------

  // The draft's own text nodes: on phones comment threads sit inside the text, and are not part of it.
  function textNodes(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(".thread") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function rootText(root) {
    return textNodes(root).map(function (node) { return node.data; }).join("");
  }

  // The offset in rootText(root) of a range boundary (node, offset).
  function offsetOf(root, node, offset) {
    var point = document.createRange();
    point.setStart(node, offset);
    var at = 0;
    var nodes = textNodes(root);
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i] === node) return at + offset;
      if (point.comparePoint(nodes[i], 0) >= 0) return at;
      at += nodes[i].data.length;
    }
    return at;
  }

  // Wrap characters [start, end) of root's text in <mark> elements (one per text node the range crosses).
  function highlight(root, start, end, threadId) {
    var marks = [];
    var at = 0;
    textNodes(root).forEach(function (node) {
      var length = node.data.length;
      var from = Math.max(start, at);
      var to = Math.min(end, at + length);
      if (from < to) {
        var piece = node;
        if (from > at) piece = piece.splitText(from - at);
        if (to < at + length) piece.splitText(to - from);
        if (piece.data.trim()) {
          var mark = document.createElement("mark");
          mark.className = "anchor";
          mark.dataset.thread = threadId;
          piece.parentNode.insertBefore(mark, piece);
          mark.appendChild(piece);
          marks.push(mark);
        }
      }
      at += length;
    });
    return marks;
  }

  // --- Comments beside their passages ----------------------------------------------------------------------

  function setUpThreads(root, margin) {
    var threads = Array.prototype.slice.call(margin.querySelectorAll(".thread[data-thread]"));
    var placed = [];
    threads.forEach(function (thread) {
      if (!thread.dataset.anchorStart) return;
      var marks = highlight(root, +thread.dataset.anchorStart, +thread.dataset.anchorEnd, thread.dataset.thread);
      if (!marks.length) return;
      placed.push({ thread: thread, mark: marks[0], start: +thread.dataset.anchorStart });
      marks.forEach(function (mark) {
        mark.addEventListener("click", function () { focusThread(thread, marks); });
      });
      thread.addEventListener("focusin", function () { activate(marks, true); });
      thread.addEventListener("focusout", function () { activate(marks, false); });
      thread.addEventListener("mouseenter", function () { activate(marks, true); });
      thread.addEventListener("mouseleave", function () { activate(marks, false); });
    });
    placed.sort(function (a, b) { return a.start - b.start; });
    // In the text's order: the margin reads top to bottom like the text; comments whose passage is gone last.
    placed.forEach(function (item) { margin.insertBefore(item.thread, firstGone(margin)); });

    function layout() {
      placed.forEach(function (item) {
        item.thread.style.marginTop = "";
        if (WIDE.matches) {
          if (item.thread.parentNode !== margin) margin.insertBefore(item.thread, firstGone(margin));
        } else {
          // At phone width the comment sits under the passage's paragraph.
          var block = item.mark;
          while (block.parentNode && block.parentNode !== root) block = block.parentNode;
          block.parentNode.insertBefore(item.thread, nextThreadless(block));
        }
      });
      if (!WIDE.matches) return;
      // Each comment level with its passage, pushed down only as far as the one above it needs.
      var bottom = margin.getBoundingClientRect().top;
      var form = document.getElementById("passage-form");
      if (form && !form.hidden) bottom = form.getBoundingClientRect().bottom + 8;
      placed.forEach(function (item) {
        var box = item.thread.getBoundingClientRect();
        var want = item.mark.getBoundingClientRect().top;
        var shift = Math.max(0, want - Math.max(box.top, bottom));
        item.thread.style.marginTop = shift + "px";
        bottom = item.thread.getBoundingClientRect().bottom + 8;
      });
    }
    layout();
    WIDE.addEventListener("change", layout);
    window.addEventListener("resize", debounce(layout, 150));
    return layout;
  }

  function nextThreadless(block) {
    var next = block.nextSibling;
    while (next && next.classList && next.classList.contains("thread")) next = next.nextSibling;
    return next;
  }

  function firstGone(margin) {
    return margin.querySelector(".thread.is-gone");
  }

  function activate(marks, on) {
    marks.forEach(function (mark) { mark.classList.toggle("is-active", on); });
  }

  function focusThread(thread, marks) {
    thread.setAttribute("tabindex", "-1");
    thread.focus();
    activate(marks, true);
  }

  function debounce(fn, ms) {
    var timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // --- Commenting on a selection ---------------------------------------------------------------------------

  function selectedPassage(root) {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    var inThread = function (node) {
      var element = node.nodeType === 1 ? node : node.parentElement;
      return !!(element && element.closest(".thread"));
    };
    if (inThread(range.startContainer) || inThread(range.endContainer)) return null;
    var text = rootText(root);
    var start = offsetOf(root, range.startContainer, range.startOffset);
    var end = offsetOf(root, range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text.charAt(start))) start++;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    if (end <= start) return null;
    return {
      quote: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT), start),
      suffix: text.slice(end, end + CONTEXT),
      position: start,
      rect: range.getBoundingClientRect(),
    };
  }

  function setUpSelection(root, relayout) {
    var button = document.getElementById("select-comment");
    var form = document.getElementById("passage-form");
    if (!button || !form) return function () { return false; };
    var current = null;

    function refresh() {
      current = selectedPassage(root);
      if (!current) {
        if (document.activeElement !== button) button.hidden = true;
        return;
      }
      button.hidden = false;
      var box = (button.offsetParent || button.parentNode).getBoundingClientRect();
      var left = Math.min(current.rect.right - box.left, box.width - button.offsetWidth);
      button.style.left = Math.max(0, left) + "px";
      button.style.top = current.rect.bottom - box.top + 6 + "px";
    }

    var chosen = null; // the selection the form is about: focusing the form's text box clears it

    function open(passage) {
      if (!passage) return false;
      var selection = window.getSelection();
      chosen = selection.rangeCount ? selection.getRangeAt(0).cloneRange() : null;
      form.elements.quote.value = passage.quote;
      form.elements.prefix.value = passage.prefix;
      form.elements.suffix.value = passage.suffix;
      form.elements.position.value = passage.position;
      form.querySelector("[data-passage-quote]").textContent =
        passage.quote.length > 160 ? passage.quote.slice(0, 157) + "…" : passage.quote;
      form.hidden = false;
      button.hidden = true;
      relayout();
      form.elements.body.focus();
      return true;
    }

    document.addEventListener("selectionchange", debounce(refresh, 60));
    button.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the selection
    button.addEventListener("click", function () { open(current || selectedPassage(root)); });
    function cancel() {
      form.hidden = true;
      relayout();
    }
    form.querySelector("[data-passage-cancel]").addEventListener("click", cancel);
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      cancel();
      root.focus(); // back where the passage was chosen, with it selected again
      if (chosen) {
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(chosen);
        refresh();
      }
      event.preventDefault();
    });
    setUpKeyboardSelection(root, refresh);
    var hint = document.getElementById("select-hint");
    if (hint) hint.hidden = false;
    return function () { return open(selectedPassage(root)); };
  }

  // Selecting with the keyboard: the draft's text takes focus (Tab), the arrow keys move a caret in it and
  // Shift+arrows select, Ctrl by whole words, Home/End to the line's ends; then `c` or the Comment button.
  var MOVES = {
    ArrowRight: ["forward", "character"],
    ArrowLeft: ["backward", "character"],
    ArrowDown: ["forward", "line"],
    ArrowUp: ["backward", "line"],
    Home: ["backward", "lineboundary"],
    End: ["forward", "lineboundary"],
  };

  function inComment(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(element && element.closest(".thread"));
  }

  function setUpKeyboardSelection(root, selected) {
    root.setAttribute("tabindex", "0");
    var selection = window.getSelection();

    function caretInside() {
      return selection.rangeCount > 0 && root.contains(selection.focusNode);
    }

    function caretAtStart() {
      var first = textNodes(root)[0];
      if (first) selection.collapse(first, 0);
    }

    root.addEventListener("focus", function () {
      if (!caretInside()) caretAtStart();
    });
    root.addEventListener("keydown", function (event) {
      var move = MOVES[event.key];
      if (!move || event.altKey || event.metaKey || event.target !== root) return;
      if (!caretInside()) caretAtStart();
      var granularity = event.ctrlKey && move[1] === "character" ? "word" : move[1];
      var before = [selection.anchorNode, selection.anchorOffset, selection.focusNode, selection.focusOffset];
      var alter = event.shiftKey ? "extend" : "move";
      selection.modify(alter, move[0], granularity);
      // On phones the comments sit inside the text: step over them, they are not part of the draft.
      for (var steps = 0; caretInside() && inComment(selection.focusNode) && steps < 2000; steps++) {
        selection.modify(alter, move[0], granularity);
      }
      if (!caretInside() || inComment(selection.focusNode)) {
        selection.setBaseAndExtent(before[0], before[1], before[2], before[3]); // at the text's end: stay
      }
      selected(); // now, not after selectionchange's pause: the next Tab must find the Comment button
      event.preventDefault();
    });
  }

  // --- Keyboard shortcuts ----------------------------------------------------------------------------------

  function typing(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']");
  }

  function setUpShortcuts(commentOnSelection) {
    var dialog = document.getElementById("shortcuts");
    function showHelp() {
      if (dialog && !dialog.open) dialog.showModal();
    }
    document.querySelectorAll("[data-shortcuts-open]").forEach(function (opener) {
      opener.addEventListener("click", showHelp);
    });

    function follow(key) {
      var link = document.querySelector("a[data-shortcut='" + key + "']");
      if (link) link.click();
    }

    function focusField(selector) {
      var field = document.querySelector(selector);
      if (!field) return;
      var details = field.closest("details");
      if (details) details.open = true;
      field.focus();
      field.scrollIntoView({ block: "center" });
    }

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target) || (dialog && dialog.open)) return;
      var key = event.key;
      if (key === "j" || key === "k") {
        follow(key);
      } else if (key === "a") {
        var approve = document.querySelector("form[data-step='approve']");
        if (!approve) return;
        approve.requestSubmit();
      } else if (key === "r") {
        focusField("form[data-step='request_changes'] textarea");
      } else if (key === "c") {
        if (!commentOnSelection()) focusField("#comments textarea[name=body]");
      } else if (key === "?") {
        showHelp();
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  ready(function () {
    var root = document.querySelector("[data-anchor-root]");
    var margin = document.getElementById("passage-comments");
    var relayout = root && margin ? setUpThreads(root, margin) : function () {};
    var commentOnSelection = root ? setUpSelection(root, relayout) : function () { return false; };
    setUpShortcuts(commentOnSelection);
    if (location.hash) {
      var target = document.getElementById(location.hash.slice(1));
      if (target) target.scrollIntoView({ block: "center" });
    }
  });
})();
