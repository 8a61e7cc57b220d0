// The intake's pages, made quicker with a script (a file, so that the content security policy
// needs no exception); without it every field still works through the server.
// - Agency pickers: the text box of names becomes chips of the chosen agencies and a search
//   box that suggests from the council's registry (names, short forms, aliases, with or
//   without diacritics). The text box keeps the chosen codes, separated by ";".
// - Deadline fields: the computed date is shown as one types, from the server's calculator.
(function () {
  "use strict";
  var form = document.querySelector("form.dd-intake");
  if (!form) return;
  var data = document.getElementById("intake-agencies");
  var agencies = data ? JSON.parse(data.textContent) : [];
  var byCode = {};
  agencies.forEach(function (a) {
    a.keys = [a.name, a.short || "", a.code].concat(a.aliases || []).map(fold);
    byCode[a.code] = a;
  });
  document.querySelectorAll(".dd-nojs").forEach(function (b) { b.hidden = true; });

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function find(token) {
    var key = fold(token);
    if (!key) return null;
    var exact = agencies.filter(function (a) { return a.keys.indexOf(key) >= 0; });
    return exact.length === 1 ? exact[0] : null;
  }

  function picker(input) {
    var many = input.dataset.picker === "many";
    var label = input.labels && input.labels.length ? input.labels[0] : null;
    var chosen = [];
    var unknown = [];
    input.value.split(";").forEach(function (token) {
      if (!token.trim()) return;
      var agency = byCode[token.trim()] || find(token);
      if (agency && chosen.indexOf(agency.code) < 0) chosen.push(agency.code);
      else if (!agency) unknown.push(token.trim());
    });
    var box = document.createElement("div");
    box.className = "dd-picker";
    var chips = document.createElement("ul");
    chips.className = "dd-chips";
    chips.setAttribute("aria-label", label ? label.textContent : "");
    chips.dataset.testid = "chosen-agencies";
    var search = document.createElement("input");
    search.type = "search";
    search.className = "dd-input dd-picker-search";
    search.placeholder = many
      ? form.dataset.searchMany || "Gõ để tìm và thêm cơ quan…"
      : form.dataset.searchOne || "Gõ để tìm cơ quan…";
    search.setAttribute("autocomplete", "off");
    search.setAttribute("aria-label", search.placeholder);
    var list = document.createElement("ul");
    list.className = "dd-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.appendChild(chips);
    box.appendChild(search);
    box.appendChild(list);
    input.type = "hidden";
    input.parentNode.insertBefore(box, input.nextSibling);
    if (input.id) {
      search.id = input.id + "_search";
      if (label) label.htmlFor = search.id;
    }

    function sync() {
      input.value = chosen.concat(unknown).join("; ");
      chips.innerHTML = "";
      chosen.forEach(function (code) { chips.appendChild(chip(byCode[code].name, code)); });
      unknown.forEach(function (text) { chips.appendChild(chip(text, null)); });
      search.hidden = !many && chosen.length + unknown.length > 0;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function chip(label, code) {
      var li = document.createElement("li");
      li.className = "dd-chip" + (code ? "" : " dd-chip-unknown");
      li.textContent = label;
      if (code) li.dataset.code = code;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "dd-chip-remove";
      remove.setAttribute("aria-label", (form.dataset.remove || "Bỏ") + " " + label);
      remove.textContent = "×";
      remove.addEventListener("click", function () {
        if (code) chosen.splice(chosen.indexOf(code), 1);
        else unknown.splice(unknown.indexOf(label), 1);
        sync();
        search.focus();
      });
      li.appendChild(remove);
      return li;
    }

    function suggest() {
      var key = fold(search.value);
      list.innerHTML = "";
      if (!key) { list.hidden = true; return; }
      var found = agencies.filter(function (a) {
        return chosen.indexOf(a.code) < 0 && a.keys.some(function (k) { return k.indexOf(key) >= 0; });
      }).slice(0, 8);
      found.forEach(function (a, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.className = "dd-suggestion" + (i === 0 ? " dd-suggestion-active" : "");
        li.textContent = a.name + (a.short ? " (" + a.short + ")" : "");
        li.dataset.code = a.code;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(a.code); });
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
    }

    function pick(code) {
      if (!many) chosen = [];
      if (chosen.indexOf(code) < 0) chosen.push(code);
      search.value = "";
      list.hidden = true;
      sync();
    }

    search.addEventListener("input", suggest);
    search.addEventListener("blur", function () { list.hidden = true; });
    search.addEventListener("keydown", function (event) {
      var options = Array.prototype.slice.call(list.children);
      var active = options.findIndex(function (o) { return o.classList.contains("dd-suggestion-active"); });
      if (event.key === "Enter") {
        event.preventDefault();
        if (options[active]) pick(options[active].dataset.code);
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!options.length) return;
        options[active].classList.remove("dd-suggestion-active");
        active = (active + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        options[active].classList.add("dd-suggestion-active");
      } else if (event.key === "Backspace" && !search.value && chosen.length) {
        chosen.pop();
        sync();
      }
    });
    sync();
  }

  function deadline(input) {
    var output = input.closest(".dd-deadline-box").querySelector(".dd-deadline-preview");
    var timer = null;
    function issued() {
      var field = form.querySelector("[name=issue_date]");
      return field ? field.value : form.dataset.issued || "";
    }
    function council() {
      var field = form.querySelector("[name=council]");
      return field ? field.value : form.dataset.council || "";
    }
    function ask() {
      var url = form.dataset.previewUrl + "?" + new URLSearchParams({
        words: input.value, issued: issued(), council: council()
      });
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          output.classList.toggle("dd-deadline-problem", !answer.ok);
          output.innerHTML = "";
          if (!answer.ok) { output.textContent = answer.problem; return; }
          if (!answer.due) { output.textContent = answer.summary; return; }
          var strong = document.createElement("strong");
          strong.textContent = (output.dataset.dueLabel || "Hạn") + ": " + answer.due;
          var hint = document.createElement("span");
          hint.className = "dd-hint";
          hint.textContent = " " + answer.summary;
          output.appendChild(strong);
          output.appendChild(hint);
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    input.addEventListener("refresh-deadline", ask);
  }

  form.querySelectorAll("input[data-picker]").forEach(picker);
  form.querySelectorAll("input[data-deadline]").forEach(deadline);
  var issue = form.querySelector("[name=issue_date]");
  if (issue) {
    issue.addEventListener("change", function () {
      form.querySelectorAll("input[data-deadline]").forEach(function (input) {
        input.dispatchEvent(new Event("refresh-deadline"));
      });
    });
  }
})();
