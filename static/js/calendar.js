// The calendar pages (templates/planning/calendar.html): FullCalendar in UTC mode showing each post at its
// board's wall-clock time (the server sends floating local times and the zone's label), drag to move, drag
// from the sidebar to schedule, and a "Move…" form for every drag. Every move posts date + time (the board's
// wall clock) to the post's reschedule URL, the same service as the draft page's schedule step; a refusal
// puts the post back and says why.
(() => {
  "use strict";

  const root = document.getElementById("calendar");
  if (!root || !window.FullCalendar) return;

  const NARROW = window.matchMedia("(max-width: 639px)");
  const csrf = (() => {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  })();
  const live = document.getElementById("calendar-live");
  const mix = document.getElementById("calendar-mix");

  function say(message, level) {
    if (live) {
      live.textContent = "";
      window.setTimeout(() => { live.textContent = message; }, 30);
    }
    if (window.cocreateToast) window.cocreateToast(message, level);
  }

  // The date and time a Date stands for on the calendar (UTC mode: its UTC fields are the wall clock).
  function wallClock(moment) {
    const iso = moment.toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
  }

  async function postMove(url, date, time, version) {
    const body = new URLSearchParams({ date, time });
    if (version) body.set("version", version);
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        body,
      });
    } catch (error) {
      return { ok: false, message: "The server could not be reached: nothing was moved." };
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    return {
      ok: response.ok && data.ok === true,
      message: data.message || `Nothing was moved (the server answered ${response.status}).`,
    };
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // --- The mix panel of the shown days (a board's calendar only: the mix is per board) --------------------
  function loadMix(view) {
    const url = mix && mix.dataset.mixUrl;
    if (!url || !window.htmx) return;
    const from = wallClock(view.activeStart).date;
    const to = wallClock(new Date(view.activeEnd.getTime() - 1)).date; // activeEnd is the first day not shown
    window.htmx.ajax("GET", `${url}?from=${from}&to=${to}&compact=1`, { target: mix, swap: "innerHTML" });
  }

  // --- The keyboard's "Move…" form ----------------------------------------------------------------------
  const dialog = document.getElementById("calendar-move");
  const form = document.getElementById("calendar-move-form");
  let opener = null;

  function openMoveForm({ url, title, version, date, time, zone, verb }) {
    if (!dialog || !form) return;
    opener = document.activeElement;
    form.action = url;
    form.elements.version.value = version || "";
    form.elements.date.value = date || "";
    form.elements.time.value = time || "09:00";
    document.getElementById("calendar-move-title").textContent = verb === "schedule" ? "Schedule post" : "Move post";
    document.getElementById("calendar-move-post").textContent = title;
    document.getElementById("calendar-move-zone").textContent = zone ? `In ${zone}, the board's time zone.` : "";
    document.getElementById("calendar-move-error").textContent = "";
    form.querySelector("[type=submit]").textContent = verb === "schedule" ? "Schedule post" : "Move post";
    dialog.showModal();
    form.elements.date.focus();
  }

  function closeMoveForm() {
    if (dialog && dialog.open) dialog.close();
    if (opener && document.body.contains(opener)) opener.focus();
  }

  if (dialog) {
    dialog.querySelector("[data-close]").addEventListener("click", closeMoveForm);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = await postMove(form.action, form.elements.date.value, form.elements.time.value, form.elements.version.value);
      if (!result.ok) {
        document.getElementById("calendar-move-error").textContent = result.message;
        say(result.message, "error");
        return;
      }
      closeMoveForm();
      afterMove(result.message, form.action);
    });
  }

  function afterMove(message, url) {
    say(message, "success");
    const item = document.querySelector(`.cal-unscheduled__item[data-move-url="${url}"]`);
    if (item) item.remove();
    calendar.refetchEvents();
    loadMix(calendar.view);
  }

  // The sidebar's plain forms post the same way (they work without JavaScript too).
  document.querySelectorAll("[data-calendar-form]").forEach((plain) => {
    plain.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = await postMove(plain.action, plain.elements.date.value, plain.elements.time.value, plain.elements.version.value);
      if (!result.ok) {
        say(result.message, "error");
        return;
      }
      afterMove(result.message, plain.action);
    });
  });

  // --- How an event reads --------------------------------------------------------------------------------
  function postContent(arg) {
    const props = arg.event.extendedProps;
    const box = el("div", "cal-ev");
    if (props.kind === "note") {
      box.append(el("span", "cal-ev__tag", "Note"), el("span", "cal-ev__title", arg.event.title));
      return { domNodes: [box] };
    }
    const head = el("div", "cal-ev__head");
    head.append(el("span", "cal-ev__time", `${props.localTime} ${props.zone}`));
    if (props.kind === "deadline") {
      box.classList.add("cal-ev--deadline");
      head.append(el("span", "cal-ev__tag", "Deadline"));
      box.append(head);
      const link = el("a", "cal-ev__title", arg.event.title);
      link.href = props.url;
      box.append(link);
      return { domNodes: [box] };
    }
    head.append(el("span", `cal-state cal-state--${props.state}`, props.stateLabel));
    box.append(head);
    const link = el("a", "cal-ev__title", arg.event.title);
    link.href = props.url;
    box.append(link);
    const month = arg.view.type.startsWith("dayGrid");
    if (month || arg.view.type.startsWith("timeGrid")) {
      // A day of the month and an hour of the week are small: title, time and state (so a month of posts reads
      // at a glance); the channels are on hover and in the list view, everything on the post's page.
      box.classList.add("cal-ev--compact");
      box.title = `${arg.event.title}: ${props.channels.length ? props.channels.join(", ") : "no channel"}`;
      box.prepend(link);
      if (props.moveUrl) head.append(moveButton(arg, props));
      return { domNodes: [box] };
    }
    // The month's cells are small: the kinds of platform; the week and the list name each channel.
    const channels = month ? props.channelKinds : props.channels;
    const foot = el("div", "cal-ev__foot");
    foot.append(el("span", "cal-ev__meta", channels.length ? channels.join(" · ") : "No channel"));
    if (!month) {
      const pillars = el("span", "cal-ev__pillars");
      props.pillars.forEach((pillar) => {
        const chip = el("span", "cal-ev__pillar", pillar.name);
        chip.style.setProperty("--pillar", pillar.colour);
        pillars.append(chip);
      });
      if (props.pillars.length) foot.append(pillars);
      if (props.board && root.dataset.multi) foot.append(el("span", "cal-ev__board", props.board));
    }
    if (props.moveUrl) foot.append(moveButton(arg, props));
    box.append(foot);
    return { domNodes: [box] };
  }

  function moveButton(arg, props) {
    const button = el("button", "cal-ev__move", "Move…");
    button.type = "button";
    button.setAttribute("aria-label", `Move… ${arg.event.title}`);
    button.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      openMoveForm({
        url: props.moveUrl,
        title: arg.event.title,
        version: props.version,
        date: props.localDate,
        time: props.localTime,
        zone: props.timeZone,
        verb: "move",
      });
    });
    // FullCalendar starts a drag on pointerdown: a press on the button is a click, not a drag.
    button.addEventListener("pointerdown", (event) => event.stopPropagation());
    button.addEventListener("mousedown", (event) => event.stopPropagation());
    return button;
  }

  function labelEvent(info) {
    const props = info.event.extendedProps;
    info.el.dataset.kind = props.kind;
    if (props.kind === "post") {
      info.el.dataset.draftId = props.draftId;
      info.el.dataset.state = props.state;
      info.el.style.setProperty("--pillar", info.event.borderColor || "#64748b");
      info.el.title = [
        `${props.localTime} ${props.zone}`,
        info.event.title,
        props.stateLabel,
        props.channels.join(", ") || "No channel",
        props.pillars.map((p) => p.name).join(", "),
        props.board,
      ].filter(Boolean).join(" · ");
    }
  }

  async function onDrop(info) {
    const props = info.event.extendedProps;
    const { date, time } = wallClock(info.event.start);
    const result = await postMove(props.moveUrl, date, time, props.version);
    if (!result.ok) {
      info.revert();
      say(result.message, "error");
      return;
    }
    say(result.message, "success");
    calendar.refetchEvents();
    loadMix(calendar.view);
  }

  async function onExternalDrop(info) {
    const item = info.draggedEl;
    let { date, time } = wallClock(info.date);
    if (info.allDay) time = "09:00"; // a day of the month: the morning, as the form suggests
    const result = await postMove(item.dataset.moveUrl, date, time, item.dataset.version);
    if (!result.ok) {
      say(result.message, "error");
      return;
    }
    afterMove(result.message, item.dataset.moveUrl);
  }

  // A phone gets the list: a month of seven columns does not fit 390 pixels.
  function toolbar(narrow) {
    return narrow
      ? { left: "prev,next", center: "title", right: "today" }
      : { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listWeek" };
  }
  function footer(narrow) {
    return narrow ? { center: "listWeek,timeGridDay" } : false;
  }

  const offset = root.dataset.nowOffset;
  const options = {
    timeZone: "UTC",
    initialView: NARROW.matches ? "listWeek" : "dayGridMonth",
    initialDate: root.dataset.initialDate || undefined,
    headerToolbar: toolbar(NARROW.matches),
    footerToolbar: footer(NARROW.matches),
    // Text, not FullCalendar's icon font: it comes as a data: URL, which font-src refuses.
    buttonIcons: false,
    buttonText: { prev: "‹", next: "›", today: "Today", month: "Month", week: "Week", day: "Day", list: "List" },
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    eventDisplay: "block",
    dayMaxEvents: false,
    scrollTime: "08:00:00",
    slotDuration: "01:00:00",
    views: { timeGrid: { dayHeaderFormat: { weekday: "short", day: "numeric" } } },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    defaultTimedEventDuration: "01:00", // a post takes no time; an hour of the week view holds its card
    editable: true,
    eventDurationEditable: false,
    eventStartEditable: true,
    droppable: true,
    eventSources: [{ url: root.dataset.eventsUrl, failure: () => say("The calendar could not load its posts. Reload the page.", "error") }],
    eventContent: postContent,
    eventDidMount: labelEvent,
    eventOrder: "start,title",
    eventDrop: onDrop,
    drop: onExternalDrop,
    datesSet: (info) => {
      // The week's 24 hours scroll inside the calendar (from 08:00); the month and the list grow with the page.
      const height = info.view.type.startsWith("timeGrid") ? 780 : "auto";
      if (calendar && calendar.getOption("height") !== height) {
        calendar.setOption("height", height);
        if (height !== "auto") window.setTimeout(() => calendar.scrollToTime("08:00"), 60);
      }
      loadMix(info.view);
    },
    // A day cell named by its number alone hides the posts in it from its accessible name (axe's
    // label-content-name-mismatch): let the cell be named by what it holds, the number first.
    dayCellDidMount: (info) => info.el.removeAttribute("aria-labelledby"),
  };
  if (offset !== "" && offset !== undefined) {
    // "Now" in the board's zone: the today marker and the now line follow the board's clock.
    options.now = () => new Date(Date.now() + Number(offset) * 60000);
  } else {
    options.now = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
  }
  let calendar = null;
  calendar = new window.FullCalendar.Calendar(root, options);
  calendar.render();
  NARROW.addEventListener("change", (query) => {
    calendar.setOption("headerToolbar", toolbar(query.matches));
    calendar.setOption("footerToolbar", footer(query.matches));
    if (query.matches && !calendar.view.type.startsWith("list")) calendar.changeView("listWeek");
  });
  window.cocreateCalendar = calendar;

  // --- The sidebar: drafts to drag onto the calendar ----------------------------------------------------
  const list = document.getElementById("calendar-unscheduled");
  if (list && window.FullCalendar.Draggable) {
    new window.FullCalendar.Draggable(list, {
      itemSelector: ".cal-unscheduled__item",
      eventData: (item) => ({ title: item.dataset.title, duration: "01:00", create: false, color: item.dataset.colour }),
    });
  }

  // Colour swatches: set here, as inline style attributes are refused by the Content-Security-Policy.
  document.querySelectorAll("[data-colour]").forEach((node) => {
    if (node.classList.contains("cal-swatch")) node.style.backgroundColor = node.dataset.colour;
    else node.style.setProperty("--pillar", node.dataset.colour);
  });
})();
