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

  /* Pagefind's excerpt is the page's text with <mark> around the hits. It is rebuilt here as
     text nodes and <mark> elements only, so no markup from a case can ever come alive. */
  function excerptNodes(excerpt) {
    var template = document.createElement("template");
    template.innerHTML = excerpt;
    var out = document.createDocumentFragment();
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(items, total) {
    list.innerHTML = "";
    if (!total) {
      meta.textContent = "No matching cases";
      return;
    }
    meta.textContent = (total === 1 ? "1 matching case" : total + " matching cases") +
      (items.length ? "; arrow keys move through the results" : "");
    items.forEach(function (data) {
      var li = element("li", "md-search-result__item");
      var link = element("a", "md-search-result__link");
      link.href = data.url;
      var article = element("article", "md-search-result__article md-typeset");
      article.appendChild(element("h1", "", (data.meta && data.meta.title) || data.url));
      var facts = [data.meta && data.meta.status, data.meta && data.meta.date].filter(Boolean);
      if (facts.length) article.appendChild(element("p", "docket-search-facts", facts.join(" · ")));
      var text = element("p");
      text.appendChild(excerptNodes(data.excerpt || ""));
      article.appendChild(text);
      link.appendChild(article);
      li.appendChild(link);
      list.appendChild(li);
    });
  }

  /* Keyboard: ArrowDown from the box to the first result, arrows between results (ArrowUp from
     the first goes back to the box), Enter follows the focused result, Escape closes. */
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
  }

  function move(step) {
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var next = at + step;
    if (next < 0) {
      input.focus();
      return;
    }
    all[Math.min(next, all.length - 1)].focus();
  }

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      move(1);
    }
  });
  list.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    }
  });

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
