/* docket archive tables: sort by any column, filter by status, year, topic, person and text.
   Everything works on the HTML that is already in the page: no server, no data fetch. */
(function () {
  "use strict";

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.getAttribute("data-key") || cell.textContent.trim().toLowerCase();
  }

  function sortTable(table, index, th) {
    var current = th.getAttribute("aria-sort");
    var direction = current === "ascending" ? "descending" : "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", direction);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, position) {
      return { row: row, key: cellKey(row, index), position: position };
    });
    keyed.sort(function (a, b) {
      var order = a.key < b.key ? -1 : a.key > b.key ? 1 : a.position - b.position;
      return direction === "ascending" ? order : -order;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
  }

  function setUpSorting(table) {
    table.querySelectorAll("th button[data-sort]").forEach(function (button) {
      button.addEventListener("click", function () {
        sortTable(table, Number(button.getAttribute("data-sort")), button.closest("th"));
      });
    });
  }

  function setUpFilters(form) {
    var table = document.getElementById(form.getAttribute("data-docket-filters"));
    if (!table) return;
    var count = document.querySelector('[data-docket-count="' + table.id + '"]');
    var controls = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"));
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);

    function apply() {
      var wanted = controls.map(function (control) {
        return { attr: control.getAttribute("data-filter"), value: control.value.trim().toLowerCase() };
      });
      var shown = 0;
      rows.forEach(function (row) {
        var ok = wanted.every(function (filter) {
          if (!filter.value) return true;
          var have = (row.getAttribute("data-" + filter.attr) || "").toLowerCase();
          if (filter.attr === "topics") return (" " + have + " ").indexOf(" " + filter.value + " ") >= 0;
          if (filter.attr === "people") return have.indexOf(filter.value) >= 0;
          return have === filter.value;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = "Showing " + shown + " of " + rows.length + " cases.";
    }

    controls.forEach(function (control) {
      control.addEventListener(control.tagName === "SELECT" ? "change" : "input", function () {
        apply();
        writeAddress();
      });
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(); writeAddress(); }, 0);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });

    /* The filters live in the address (?status=running&year=2025), so a view can be shared. */
    function writeAddress() {
      var params = new URLSearchParams();
      controls.forEach(function (control) {
        if (control.value.trim()) params.set(control.name, control.value.trim());
      });
      var query = params.toString();
      try {
        window.history.replaceState(null, "", (query ? "?" + query : window.location.pathname) + window.location.hash);
      } catch (error) { /* a page opened from disk may not rewrite its address */ }
    }

    function choose(select, value) {
      var wanted = value.trim().toLowerCase();
      var options = Array.prototype.slice.call(select.options);
      var found = options.filter(function (o) { return o.value && o.value.toLowerCase() === wanted; })[0] ||
        options.filter(function (o) { return o.value && o.textContent.trim().toLowerCase() === wanted; })[0];
      if (found) select.value = found.value;
      return Boolean(found);
    }

    /* Values in the address that no filter knows are said, not silently dropped. */
    var note = document.querySelector('[data-docket-note="' + table.id + '"]');
    var unknown = [];
    var params = new URLSearchParams(window.location.search);
    params.forEach(function (value, name) {
      var control = controls.filter(function (c) { return c.name === name; })[0];
      if (!control) {
        unknown.push("“" + name + "” is no filter");
      } else if (control.tagName === "SELECT") {
        if (value && !choose(control, value)) {
          var label = form.querySelector('label[for="' + control.id + '"]');
          unknown.push((label ? label.textContent.trim().toLowerCase() : name) + " “" + value + "” matches no case");
        }
      } else {
        control.value = value;
      }
    });
    if (note && unknown.length) {
      note.textContent = "Not applied from the address: " + unknown.join("; ") + ".";
      note.hidden = false;
    }
    apply();
  }

  /* "Cite this case": the URL is the page's own when the archive has no site_url; Copy puts the
     whole line on the clipboard. */
  function setUpCitation(line) {
    var url = line.querySelector("[data-docket-cite-url]");
    if (url && !url.textContent.trim()) {
      url.textContent = window.location.href.split("#")[0].split("?")[0];
    }
    var text = line.querySelector("[data-docket-cite]");
    var button = line.querySelector("[data-docket-copy]");
    var done = line.querySelector(".docket-copy__done");
    if (!text || !button) return;
    button.addEventListener("click", function () {
      var value = text.textContent.replace(/\s+/g, " ").trim();
      function said(message) { if (done) done.textContent = message; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(function () { said("Copied."); }, function () {
          said("Select the line and copy it.");
        });
      } else {
        var range = document.createRange();
        range.selectNodeContents(text);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        said(document.execCommand && document.execCommand("copy") ? "Copied." : "Selected: copy it.");
      }
    });
  }

  /* A table cut off at the screen's edge says so (and the wrapper shows a shadow). */
  function setUpScrollHint(hint) {
    var table = document.getElementById(hint.getAttribute("data-docket-scroll-hint"));
    var wrap = table && table.parentElement;
    if (!wrap) return;
    function update() {
      var cut = wrap.scrollWidth > wrap.clientWidth + 1;
      hint.hidden = !cut;
      wrap.classList.toggle("docket-table-wrap--cut", cut);
    }
    update();
    window.addEventListener("resize", update);
  }

  function init() {
    document.querySelectorAll("table[data-docket-sortable]").forEach(setUpSorting);
    document.querySelectorAll("form[data-docket-filters]").forEach(setUpFilters);
    document.querySelectorAll(".docket-cite").forEach(setUpCitation);
    document.querySelectorAll("[data-docket-scroll-hint]").forEach(setUpScrollHint);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
