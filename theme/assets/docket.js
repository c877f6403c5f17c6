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
      control.addEventListener(control.tagName === "SELECT" ? "change" : "input", apply);
    });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    var params = new URLSearchParams(window.location.search);
    controls.forEach(function (control) {
      var value = params.get(control.name);
      if (value) control.value = value;
    });
    apply();
  }

  function init() {
    document.querySelectorAll("table[data-docket-sortable]").forEach(setUpSorting);
    document.querySelectorAll("form[data-docket-filters]").forEach(setUpFilters);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
