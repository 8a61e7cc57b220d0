/* A date picker for every date field (inputs with data-dd-date): Vietnamese first, weeks
   start on Monday, dates written dd/mm/yyyy, and the council's calendar marked: public
   holidays, local days off and weekend days worked (workflow/calendar_views.py). The field
   stays a plain text input, so typing and pages without JavaScript work as before. */
(function () {
  "use strict";
  var TEXT = {
    vi: { month: "Tháng {m} năm {y}", days: ["T2", "T3", "T4", "T5", "T6", "T7", "CN"],
          prev: "Tháng trước", next: "Tháng sau", close: "Đóng", today: "Hôm nay" },
    en: { month: "{M} {y}", days: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
          prev: "Previous month", next: "Next month", close: "Close", today: "Today",
          months: ["January", "February", "March", "April", "May", "June", "July",
                   "August", "September", "October", "November", "December"] }
  };
  var marksByYear = {};
  var open = null; // {input, box, year, month}

  function text() {
    var lang = (document.documentElement.lang || "vi").slice(0, 2);
    return TEXT[lang] || TEXT.vi;
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function iso(y, m, d) { return y + "-" + two(m + 1) + "-" + two(d); }
  function parse(value) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(value || "");
    if (!m) return null;
    var day = new Date(+m[3], +m[2] - 1, +m[1]);
    return isNaN(day) ? null : day;
  }
  function marks(year) {
    if (!marksByYear[year]) {
      var meta = document.querySelector('meta[name="dd-calendar"]');
      marksByYear[year] = !meta ? Promise.resolve({}) :
        fetch(meta.content + "?year=" + year, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { days: {} }; })
          .then(function (data) { return data.days || {}; })
          .catch(function () { return {}; });
    }
    return marksByYear[year];
  }

  function title(t, y, m) {
    return t.month.replace("{m}", m + 1).replace("{M}", t.months ? t.months[m] : m + 1).replace("{y}", y);
  }

  function render() {
    var t = text(), y = open.year, m = open.month, box = open.box;
    var chosen = parse(open.input.value), now = new Date();
    box.innerHTML = "";
    var head = document.createElement("div");
    head.className = "dd-cal-head";
    head.appendChild(button("‹", t.prev, "dd-cal-prev", function () { move(-1); }));
    var label = document.createElement("span");
    label.className = "dd-cal-title";
    label.setAttribute("aria-live", "polite");
    label.textContent = title(t, y, m);
    head.appendChild(label);
    head.appendChild(button("›", t.next, "dd-cal-next", function () { move(1); }));
    box.appendChild(head);
    var grid = document.createElement("table");
    grid.className = "dd-cal-grid";
    grid.setAttribute("role", "grid");
    var row = grid.insertRow();
    t.days.forEach(function (d, i) {
      var th = document.createElement("th");
      th.textContent = d;
      if (i >= 5) th.className = "dd-cal-weekend";
      row.appendChild(th);
    });
    var first = new Date(y, m, 1), offset = (first.getDay() + 6) % 7; // Monday first
    var length = new Date(y, m + 1, 0).getDate();
    row = grid.insertRow();
    for (var i = 0; i < offset; i++) row.insertCell();
    for (var d = 1; d <= length; d++) {
      if ((offset + d - 1) % 7 === 0 && d > 1) row = grid.insertRow();
      var cell = row.insertCell();
      var weekday = (offset + d - 1) % 7;
      var b = button(String(d), "", "dd-cal-day" + (weekday >= 5 ? " dd-cal-weekend" : ""), pick(y, m, d));
      b.dataset.date = iso(y, m, d);
      if (chosen && chosen.getFullYear() === y && chosen.getMonth() === m && chosen.getDate() === d) {
        b.classList.add("dd-cal-chosen");
        b.setAttribute("aria-pressed", "true");
      }
      if (now.getFullYear() === y && now.getMonth() === m && now.getDate() === d) {
        b.classList.add("dd-cal-today");
        b.title = t.today;
      }
      cell.appendChild(b);
    }
    box.appendChild(grid);
    box.appendChild(button(t.close, t.close, "dd-cal-close", close));
    marks(y).then(function (days) {
      if (!open || open.year !== y || open.month !== m) return;
      box.querySelectorAll(".dd-cal-day").forEach(function (b) {
        var mark = days[b.dataset.date];
        if (!mark) return;
        b.classList.add("dd-cal-" + mark.kind);
        b.title = mark.reason;
        b.setAttribute("aria-label", b.textContent + " — " + mark.reason);
      });
      box.dataset.marked = "true";
    });
  }

  function button(label, hint, cls, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = label;
    if (hint) b.setAttribute("aria-label", hint);
    b.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep the focus
    b.addEventListener("click", onClick);
    return b;
  }
  function pick(y, m, d) {
    return function () {
      open.input.value = two(d) + "/" + two(m + 1) + "/" + y;
      open.input.dispatchEvent(new Event("input", { bubbles: true }));
      open.input.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    };
  }
  function move(step) {
    var d = new Date(open.year, open.month + step, 1);
    open.year = d.getFullYear();
    open.month = d.getMonth();
    render();
  }
  function close() {
    if (open) open.box.remove();
    open = null;
  }
  function show(input) {
    if (open && open.input === input) return;
    close();
    var start = parse(input.value) || new Date();
    var box = document.createElement("div");
    box.className = "dd-cal";
    box.setAttribute("role", "dialog");
    box.dataset.testid = "date-picker";
    input.insertAdjacentElement("afterend", box);
    open = { input: input, box: box, year: start.getFullYear(), month: start.getMonth() };
    render();
  }

  document.addEventListener("focusin", function (e) {
    var input = e.target.closest && e.target.closest("input[data-dd-date]");
    if (input) show(input);
    else if (open && !open.box.contains(e.target)) close();
  });
  document.addEventListener("click", function (e) {
    if (!open || !e.target.isConnected) return; // a button the picker just redrew
    if (e.target === open.input || open.box.contains(e.target)) return;
    // A field inside its label: the box opens under the pointer, so the click that focused
    // the field ends on the label (the common ancestor), which must not close it.
    if (Array.prototype.indexOf.call(open.input.labels || [], e.target) >= 0) return;
    close();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && open) close();
  });
  document.addEventListener("input", function (e) {
    if (!open || e.target !== open.input) return;
    var typed = parse(open.input.value);
    if (typed && (typed.getFullYear() !== open.year || typed.getMonth() !== open.month)) {
      open.year = typed.getFullYear();
      open.month = typed.getMonth();
      render();
    }
  });
})();
