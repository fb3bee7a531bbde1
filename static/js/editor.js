// The draft editor: live preview (htmx), autosave with the version check, conflicts, keyboard shortcuts,
// and the first image on the new-draft page (guideline problems in the text: editor-marks.js). Without this file the page
// still works: the form posts, the server keeps what was typed when it refuses.
(function () {
  "use strict";

  const root = document.getElementById("editor");
  const form = document.getElementById("draft-form");
  if (!root || !form) return;

  const status = document.getElementById("autosave-status");
  const conflictBox = document.getElementById("editor-conflict");
  const SAVE_AFTER_MS = 2000; // after typing stops
  const PREVIEW_AFTER_MS = 400;
  const RETRY_AFTER_MS = 10000; // offline or a server error

  let savedSnapshot = null; // the text the server has, as sent
  let saving = null; // the save in flight (a promise)
  let saveTimer = null;
  let previewTimer = null;
  let retryTimer = null;
  let conflict = null; // the 409 answer while the writer has not chosen
  let imageBusy = false; // an image upload, change or removal in flight
  let leaving = false;

  function csrfToken() {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function currentVersion() {
    const input = document.getElementById("id_version");
    return input ? input.value : "";
  }

  function setVersion(version) {
    // The text form's and every image form's copy: each change bumps it.
    root.querySelectorAll('input[name="version"]').forEach(function (input) {
      input.value = String(version);
    });
    const main = document.getElementById("id_version");
    if (main) main.value = String(version);
  }

  // The text fields only: not the image picker that the new-draft page ties to this form.
  function textData() {
    const data = new FormData(form);
    ["file", "alt_text", "add_image"].forEach(function (name) {
      data.delete(name);
    });
    return data;
  }

  function snapshot() {
    const data = textData();
    data.delete("version");
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }

  function isDirty() {
    return savedSnapshot !== null && snapshot() !== savedSnapshot;
  }

  // Until no save is in flight. A save that was waiting for the same one starts next (it awaited first), so a
  // single wait would let an image change go out beside it with the old version, and get a 409.
  async function savesSettled() {
    while (saving) await saving;
  }

  function setStatus(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }

  function scheduleSave(delay) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, delay === undefined ? SAVE_AFTER_MS : delay);
  }

  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(save, RETRY_AFTER_MS);
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () {
      if (window.htmx) window.htmx.trigger(form, "editor:changed");
    }, PREVIEW_AFTER_MS);
  }

  async function post(url, data) {
    const response = await fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    });
    let body = null;
    if ((response.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
      body = await response.json();
    }
    return { response: response, body: body };
  }

  async function save() {
    clearTimeout(saveTimer);
    if (conflict || imageBusy) return;
    if (saving) {
      await saving;
      return save();
    }
    const sent = snapshot();
    if (sent === savedSnapshot) return;
    const url = root.dataset.autosaveUrl || root.dataset.startUrl;
    if (!root.dataset.autosaveUrl && !form.elements.title.value.trim()) {
      setStatus("Not saved yet: give the draft a title.", "waiting");
      return;
    }
    setStatus("Saving…", "saving");
    saving = send(url, sent);
    try {
      await saving;
    } finally {
      saving = null;
    }
  }

  async function send(url, sent) {
    let answer;
    try {
      answer = await post(url, textData());
    } catch (error) {
      setStatus("Offline — not saved. Your text is kept here; saving again when the connection is back.", "offline");
      retryLater();
      return;
    }
    const response = answer.response;
    const body = answer.body;
    if (body === null) {
      // A sign-in page (the session ended) or a proxy's error page instead of our JSON.
      setStatus("Not saved: sign in again (in another tab) and your text will be saved.", "error");
      retryLater();
      return;
    }
    if (response.ok && body.saved) {
      savedSnapshot = sent;
      setVersion(body.version);
      if (body.draft_id) started(body, false);
      clearErrors();
      setStatus("Saved " + body.saved_label, "saved");
      if (snapshot() !== savedSnapshot) scheduleSave();
    } else if (response.status === 409 && body.conflict) {
      showConflict(body);
    } else if (response.status >= 500) {
      setStatus("Not saved: the server had a problem. Trying again shortly.", "offline");
      retryLater();
    } else {
      setStatus("Not saved: " + body.message, "error");
      showErrors(body.errors || {});
    }
  }

  // The new-draft page's first save created the draft: carry on at its edit address, without a reload. The
  // images section is swapped for the draft's own only when this save brought the first image: an autosave
  // leaves it under the writer's hands (replacing it mid-click lost the click, and the picture chosen with it),
  // and its "Add image" then goes to the started draft (addToStartedDraft).
  function started(body, withImage) {
    delete root.dataset.startUrl;
    root.dataset.autosaveUrl = body.autosave_url;
    root.dataset.previewUrl = body.preview_url;
    root.dataset.imagesAddUrl = body.images_add_url;
    form.action = body.edit_url;
    history.replaceState(null, "", body.edit_url);
    const heading = document.querySelector("main h1");
    if (heading) heading.textContent = "Edit draft";
    const images = document.getElementById("draft-images");
    if (withImage && images && body.images_html) {
      images.outerHTML = body.images_html;
      if (window.htmx) window.htmx.process(document.getElementById("draft-images"));
    }
    setVersion(body.version);
  }

  // channel:12 -> variant_channel_12, kind:x -> variant_kind_x (drafts.forms.variant_field_name).
  function variantFieldName(key) {
    return "variant_" + String(key).replace(/[^a-z0-9_]/g, "_");
  }

  function fieldFor(name) {
    return form.elements[name] || document.getElementById("id_" + name);
  }

  function clearErrors() {
    root.querySelectorAll(".autosave-error").forEach(function (node) {
      node.remove();
    });
  }

  function showErrors(errors) {
    clearErrors();
    Object.keys(errors).forEach(function (name) {
      const field = fieldFor(name);
      if (!field || !field.parentNode) return;
      const message = document.createElement("p");
      message.className = "error-message autosave-error";
      message.textContent = errors[name].join(" ");
      field.parentNode.insertBefore(message, field);
    });
  }

  // --- Conflicts: the version moved on elsewhere. Nothing typed here is touched until the writer chooses.

  function showConflict(body) {
    conflict = body;
    conflictBox.innerHTML = body.html;
    conflictBox.hidden = false;
    setStatus("Not saved: this draft was changed elsewhere. Choose below; your text is kept.", "conflict");
    conflictBox.focus();
  }

  function closeConflict() {
    conflict = null;
    conflictBox.hidden = true;
    conflictBox.innerHTML = "";
  }

  function fill(content) {
    form.elements.title.value = content.title;
    form.elements.body.value = content.body;
    if (form.elements.tags) form.elements.tags.value = (content.tags || []).join(", ");
    const byField = {};
    Object.keys(content.variants || {}).forEach(function (key) {
      byField[variantFieldName(key)] = content.variants[key];
    });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.name.indexOf("variant_") === 0) field.value = byField[field.name] || "";
    });
  }

  async function copyMine() {
    const text = form.elements.title.value + "\n\n" + form.elements.body.value;
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      form.elements.body.select();
      document.execCommand("copy");
    }
    setStatus("Your text is copied. It is not saved yet.", "conflict");
  }

  conflictBox.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-conflict]");
    if (!button || !conflict) return;
    const choice = button.dataset.conflict;
    if (choice === "copy") {
      copyMine();
      return;
    }
    const answer = conflict;
    setVersion(answer.version);
    closeConflict();
    if (choice === "theirs") {
      fill(answer.theirs);
      savedSnapshot = snapshot();
      setStatus("You took the saved text (version " + answer.version + ").", "saved");
      schedulePreview();
    } else {
      save(); // the same text again, now over their version
    }
    form.elements.body.focus();
  });

  // --- Typing: preview soon, save after a pause and when leaving a field.

  function ownsField(target) {
    return target && target.form === form && target.name && ["file", "alt_text"].indexOf(target.name) < 0;
  }

  root.addEventListener("input", function (event) {
    if (!ownsField(event.target)) return;
    schedulePreview();
    if (!conflict) {
      if (isDirty()) setStatus("Unsaved changes…", "dirty");
      scheduleSave();
    }
  });

  root.addEventListener(
    "blur",
    function (event) {
      if (ownsField(event.target) && isDirty()) scheduleSave(0);
    },
    true
  );

  window.addEventListener("online", function () {
    if (isDirty()) scheduleSave(0);
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving) return;
    if (isDirty() || saving || conflict) {
      event.preventDefault();
      event.returnValue = ""; // the browser asks "Leave site? Changes you made may not be saved."
    }
  });

  // --- Keyboard shortcuts for the toolbar: Ctrl/Cmd+B, I, K.

  root.addEventListener("keydown", function (event) {
    const field = event.target;
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || field.tagName !== "TEXTAREA") return;
    const toolbar = root.querySelector('markdown-toolbar[for="' + field.id + '"]');
    const button = toolbar && toolbar.querySelector('[data-hotkey="' + event.key.toLowerCase() + '"]');
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // --- htmx: the preview follows the draft's address; image changes wait for a save in flight.

  document.body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt === form) {
      event.detail.path = root.dataset.previewUrl;
    } else if (event.detail.elt.closest && event.detail.elt.closest("#draft-images")) {
      event.detail.parameters.version = currentVersion();
    }
  });

  document.body.addEventListener("htmx:confirm", function (event) {
    const elt = event.detail.elt;
    if (!elt.closest || !elt.closest("#draft-images") || !saving) return;
    event.preventDefault();
    savesSettled().then(function () {
      event.detail.issueRequest(false);
    });
  });

  const imageRequests = new Set();

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    const xhr = event.detail.xhr;
    if (!elt.closest || !elt.closest("#draft-images") || !xhr) return;
    imageRequests.add(xhr);
    imageBusy = true;
    // Followed on the request itself, not through htmx's events: the image form is replaced by its own answer,
    // and an event fired on a detached element never reaches document.body (autosave would stay off for good).
    xhr.addEventListener("loadend", function () {
      window.setTimeout(function () {
        imageRequests.delete(xhr);
        imageBusy = imageRequests.size > 0;
        setVersion(currentVersion()); // the swapped-in section brought the new version
        schedulePreview(); // each channel's post shows the draft's images as they are now
        if (!imageBusy && isDirty()) scheduleSave(0);
      }, 0);
    });
  });

  // --- The new-draft page: the first image saves the draft with it, then the page carries on as the editor.

  form.addEventListener("submit", async function (event) {
    const submitter = event.submitter;
    if (!submitter || !submitter.hasAttribute("data-editor-upload")) {
      leaving = true; // a plain save: the server answers with the next page
      return;
    }
    event.preventDefault();
    const message = document.getElementById("draft-images-message");
    const picker = document.getElementById("id_image_file");
    if (!picker || !picker.files.length) {
      message.textContent = "Choose an image file first.";
      picker.focus();
      return;
    }
    if (!form.elements.title.value.trim()) {
      message.textContent = "Give the draft a title first: it is saved together with the image.";
      form.elements.title.focus();
      return;
    }
    const chosen = picker.files[0];
    const altText = document.getElementById("id_image_alt_text").value;
    await savesSettled();
    if (root.dataset.autosaveUrl) {
      // An autosave started the draft meanwhile: the image goes to it, as the editor's own upload would.
      addToStartedDraft(chosen, altText);
      return;
    }
    message.textContent = "Uploading…";
    submitter.disabled = true;
    imageBusy = true; // no autosave may start a second draft meanwhile
    clearTimeout(saveTimer);
    const sent = snapshot();
    let answer;
    try {
      answer = await post(root.dataset.startUrl, new FormData(form));
    } catch (error) {
      message.textContent = "Offline — nothing was saved. Try again when the connection is back.";
      return;
    } finally {
      submitter.disabled = false;
      imageBusy = false;
    }
    const body = answer.body;
    if (answer.response.ok && body && body.saved) {
      savedSnapshot = sent;
      started(body, true);
      setStatus("Saved " + body.saved_label, "saved");
      schedulePreview();
      if (isDirty()) scheduleSave();
    } else {
      message.textContent = "Not saved: " + (body ? body.message : "the server did not answer.");
    }
  });

  async function addToStartedDraft(file, altText) {
    const data = new FormData();
    data.append("file", file);
    data.append("alt_text", altText);
    data.append("version", currentVersion());
    imageBusy = true;
    try {
      const response = await fetch(root.dataset.imagesAddUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      });
      // htmx's swap, so the fragment's out-of-band version lands in the text form.
      window.htmx.swap(document.getElementById("draft-images"), await response.text(), { swapStyle: "outerHTML" });
    } catch (error) {
      setStatus("Offline — the image was not saved. Add it again when the connection is back.", "offline");
    } finally {
      imageBusy = false;
    }
    setVersion(currentVersion());
    schedulePreview();
    if (isDirty()) scheduleSave(0);
  }

  savedSnapshot = snapshot();
  if (!root.dataset.autosaveUrl && (form.elements.title.value.trim() || form.elements.body.value.trim())) {
    // A new-draft form shown again with what was typed (the server refused it): none of it is saved.
    savedSnapshot = "";
    setStatus("Not saved yet.", "dirty");
  }
})();
