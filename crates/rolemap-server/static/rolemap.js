// rolemap: a little plain JavaScript. Pages work without it; it adds search suggestions
// (an ARIA combobox over /api/v1/typeahead) and the job description's Print button.
//
// A field with `data-fill` (a role field on a large database) is filled in by the suggestion
// chosen instead of opening it: with the role's title, or with `framework:key` where another
// suggestion goes by that name too, since the server resolves what is typed and calls a name
// shared by several roles ambiguous.
(function () {
  "use strict";

  function hrefFor(hit) {
    var base = hit.kind === "role" ? "/roles/" : "/skills/";
    return base + encodeURIComponent(hit.framework) + ":" + encodeURIComponent(hit.key);
  }

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.getElementById(input.id + "-status");
    if (!list) return;
    var endpoint = input.getAttribute("data-typeahead");
    var fill = input.hasAttribute("data-fill");
    var hits = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function optionId(i) { return input.id + "-option-" + i; }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var items = list.querySelectorAll("[role=option]");
      for (var k = 0; k < items.length; k++) {
        items[k].setAttribute("aria-selected", k === i ? "true" : "false");
      }
      active = i;
      if (i >= 0 && items[i]) {
        input.setAttribute("aria-activedescendant", optionId(i));
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // What the field is filled with for a suggestion: its title, unless another's title is the
    // same (another's other titles do not count: an exact title names its own role first). Then
    // framework:key, or where the key is a URI (ESCO's), framework:title, else the id.
    function nameFor(hit) {
      var title = hit.label.toLowerCase();
      var same = hits.filter(function (other) {
        return other !== hit && other.label.toLowerCase() === title;
      });
      if (!same.length) { return hit.label; }
      if (hit.key.indexOf("://") < 0) { return hit.framework + ":" + hit.key; }
      var inFramework = same.some(function (other) { return other.framework === hit.framework; });
      return inFramework ? String(hit.id) : hit.framework + ":" + hit.label;
    }

    function choose(hit) {
      if (!fill) { window.location.href = hrefFor(hit); return; }
      input.value = nameFor(hit);
      close();
      if (status) { status.textContent = hit.label + " (" + (hit.framework_name || hit.framework) + ") chosen."; }
    }

    function render(query) {
      list.textContent = "";
      hits.forEach(function (hit, i) {
        var li = document.createElement("li");
        li.id = optionId(i);
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        if (!fill) {
          var kind = document.createElement("span");
          kind.className = "kind muted";
          kind.textContent = hit.kind;
          li.appendChild(kind);
        }
        li.appendChild(document.createTextNode(hit.label));
        var where = document.createElement("span");
        where.className = "muted";
        where.textContent = " · " + (hit.framework_name || hit.framework) +
          (hit.matched && hit.matched !== hit.label ? " · “" + hit.matched + "”" : "");
        li.appendChild(where);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(hit); });
        list.appendChild(li);
      });
      if (hits.length === 0) {
        var empty = document.createElement("li");
        empty.className = "empty";
        empty.textContent = fill ? "No role matches “" + query + "”." :
          "No role or skill matches “" + query + "”; press Enter to search.";
        list.appendChild(empty);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      if (status) {
        status.textContent = hits.length === 0 ? "No suggestions." :
          hits.length + (hits.length === 1 ? " suggestion" : " suggestions") + ": use the arrow keys to choose.";
      }
    }

    function lookUp() {
      var query = input.value.trim();
      if (query.length < 2) { hits = []; close(); return; }
      var ticket = ++latest;
      var address = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "limit=8&q=" + encodeURIComponent(query);
      fetch(address, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) {
          if (ticket !== latest) return; // an older answer arriving late
          hits = Array.isArray(data) ? data : [];
          render(query);
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 150);
    });

    input.addEventListener("keydown", function (e) {
      var open = !list.hidden && hits.length > 0;
      if (e.key === "ArrowDown") {
        if (list.hidden) { lookUp(); return; }
        if (open) { e.preventDefault(); highlight(active + 1 >= hits.length ? 0 : active + 1); }
      } else if (e.key === "ArrowUp") {
        if (open) { e.preventDefault(); highlight(active <= 0 ? hits.length - 1 : active - 1); }
      } else if (e.key === "Enter") {
        if (open && active >= 0) { e.preventDefault(); choose(hits[active]); }
        // otherwise the form submits what was typed
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); }
      } else if (e.key === "Home" || e.key === "End") {
        if (open && active >= 0) { e.preventDefault(); highlight(e.key === "Home" ? 0 : hits.length - 1); }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-typeahead]").forEach(setUp);

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

// Changing role or grade on the assessment form keeps who is being assessed, typed name included.
(function () {
  document.querySelectorAll("form.switch-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[data-copy-from]").forEach(function (input) {
        var source = document.getElementById(input.getAttribute("data-copy-from"));
        if (source) { input.value = source.value; }
      });
    });
  });
})();

// A file chosen for import is read into the form's text area, so the form sends text (with its
// form token) as every other form does; without scripts the text can be pasted.
(function () {
  document.querySelectorAll("input[type=file][data-read-into]").forEach(function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-read-into"));
      var name = document.getElementById(input.getAttribute("data-name-into"));
      var file = input.files && input.files[0];
      if (!target || !file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        target.value = reader.result;
        if (name) { name.value = file.name; }
        target.dispatchEvent(new Event("input"));
      };
      reader.readAsText(file);
    });
  });
})();
