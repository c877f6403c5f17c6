/* Full-text search in Material's search box, answered by Pagefind's static index.
   Pagefind loads only the index chunks a query needs, so the archive can hold thousands of
   cases without a visitor downloading one huge index. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-docket-search]");
  if (!form) return;
  var input = form.querySelector("input[name=query]");
  var result = document.querySelector("[data-docket-search-result]");
  var meta = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base.replace(/\/?$/, "/"), window.location.href);
  var pagefind = null;
  var latest = 0;

  function load() {
    if (!pagefind) {
      var shards = Number(form.getAttribute("data-docket-shards") || "1");
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        return module.options({ baseUrl: base.pathname }).then(function () {
          var merges = [];
          for (var i = 1; i < shards; i += 1) {
            merges.push(module.mergeIndex(new URL("pagefind/shard-" + i + "/", base).href,
                                          { baseUrl: base.pathname }));
          }
          return Promise.all(merges);
        }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function render(items, total) {
    list.innerHTML = "";
    if (!total) {
      meta.textContent = "No matching cases";
      return;
    }
    meta.textContent = total === 1 ? "1 matching case" : total + " matching cases";
    items.forEach(function (data) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      /* Pagefind's excerpt is built from the indexed text and only adds <mark>. */
      li.innerHTML =
        '<a class="md-search-result__link" tabindex="-1" href="' + escapeText(data.url) + '">' +
        '<article class="md-search-result__article md-typeset">' +
        '<h1>' + escapeText((data.meta && data.meta.title) || data.url) + "</h1>" +
        "<p>" + data.excerpt + "</p></article></a>";
      list.appendChild(li);
    });
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      list.innerHTML = "";
      meta.textContent = "Type to start searching";
      return;
    }
    load().then(function (module) {
      return module.search(query);
    }).then(function (found) {
      if (ticket !== latest || !found) return null;
      return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); }))
        .then(function (items) { if (ticket === latest) render(items, found.results.length); });
    }).catch(function (error) {
      meta.textContent = "Search is not available here (" + error.message + ")";
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 150);
  });
  input.addEventListener("focus", function () {
    if (toggle && !toggle.checked) toggle.checked = true;
    load();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  form.addEventListener("reset", function () {
    window.setTimeout(search, 0);
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) input.focus();
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle && toggle.checked) {
      toggle.checked = false;
      input.blur();
    }
  });
})();
