/* Full-text search in Material's search box, answered by docket's own static index
   (generator/render/search/ writes it). A query fetches search/index.json (once per page),
   the term chunks that can hold its terms, and one small file per shown result: not the whole
   index. Tokenising and folding follow search.py's rules exactly, or terms would not meet. */
(function () {
  "use strict";
  var FORMAT = 1;        // the index format this script reads (search.py's FORMAT)
  var WORD = /[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*/gu;
  var DIGITS = /^[\p{L}\p{Nl}\p{No}]{1,3}(\p{Nd}+(?:\.\p{Nd}+)*)$/u;
  var SHOWN = 10;        // results shown (and result files fetched)
  var MAX_CHUNKS = 8;    // term chunks a prefix may span
  var PREFIX = 0.5;      // a prefix match scores this share of an exact one
  var K1 = 1.2, B = 0.75; // BM25
  var WINDOW = 30;       // words in an excerpt

  var manifest = null;
  var files = new Map();
  var latest = 0;

  /* search.py's fold(): lower case; without diacritics (NFKD, combining marks dropped); ß as ss */
  function fold(word) {
    word = word.toLowerCase();
    if (/^[\x00-\x7f]*$/.test(word)) return word;
    return word.normalize("NFKD").replace(/\p{Mn}/gu, "").replace(/ß/g, "ss");
  }

  /* search.py's word_terms(): a token's index terms (dotted parts, CamelCase parts, the
     number behind a short prefix); used to highlight the words a query matched */
  function camelParts(word) {
    var chars = Array.from(word), parts = [], start = 0;
    for (var i = 1; i < chars.length; i += 1) {
      if (/^[A-Z]$/.test(chars[i]) && /\p{Ll}/u.test(chars[i - 1])) {
        parts.push(chars.slice(start, i).join(""));
        start = i;
      }
    }
    if (parts.length) parts.push(chars.slice(start).join(""));
    return parts;
  }

  function wordTerms(token) {
    var terms = [fold(token)];
    var pieces = token.indexOf(".") >= 0 ? token.split(".") : [token];
    if (pieces.length > 1) pieces.forEach(function (p) { terms.push(fold(p)); });
    pieces.forEach(function (p) { camelParts(p).forEach(function (c) { terms.push(fold(c)); }); });
    terms.slice().forEach(function (t) {
      var m = DIGITS.exec(t);
      if (m) terms.push(m[1]);
    });
    return terms;
  }

  function queryTerms(query) {
    var out = [];
    (query.normalize("NFC").match(WORD) || []).forEach(function (token) {
      var term = fold(token);
      if (term && out.indexOf(term) < 0) out.push(term);
    });
    return out;
  }

  /* the tokeniser, for tests/fixtures/search-tokeniser.json (asserted here and in Python) */
  window.docketSearchTerms = { fold: fold, wordTerms: wordTerms, queryTerms: queryTerms };

  var form = document.querySelector("form[data-docket-search]");
  if (!form) return;
  var input = form.querySelector("input[name=query]");
  var result = document.querySelector("[data-docket-search-result]");
  var meta = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base.replace(/\/?$/, "/"), window.location.href);
  var root = new URL("search/", base);
  var words = result.dataset;  // the theme's translations (partials/docket-search.html)

  function say(key, english, count) {
    var text = words[key] || english;
    return count === undefined ? text : text.replace("#", String(count));
  }

  function prefixOk(term) { return Array.from(term).length >= 2; }

  function matches(key, term) {
    return key === term || (prefixOk(term) && key.lastIndexOf(term, 0) === 0);
  }

  /* order of code points, as Python sorts the UTF-8 terms */
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i += 1) {
      var x = a.codePointAt(i), y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
      if (x > 0xffff) i += 1;
    }
    return a.length - b.length;
  }

  function fetched(url, how) {
    if (!files.has(url)) {
      var promise = fetch(url, { cache: how === "fresh" ? "no-cache" : "default" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " for " + url);
          if (how === "chunk") return response.arrayBuffer().then(parseChunk);
          return how === "text" ? response.text() : response.json();
        });
      promise.catch(function () { files.delete(url); });
      files.set(url, promise);
    }
    return files.get(url);
  }

  function load(fresh) {
    if (!manifest || fresh) {
      var url = new URL("index.json", root).href;
      if (fresh) files.delete(url);
      manifest = fetched(url, "fresh").then(function (m) {
        if (m.format !== FORMAT) {  // an index of another docket: never misread it
          throw new Error("index format " + m.format + ", this page reads " + FORMAT);
        }
        m.folder = new URL(m.generation + "/", root);
        return m;
      });
      manifest.catch(function () { manifest = null; });
    }
    return manifest;
  }

  /* A term chunk (search.py's _chunk): a little-endian uint32, the length of a JSON header
     {terms, counts}; then each term's postings as little-endian uint32s, doc << 8 | frequency. */
  function parseChunk(buffer) {
    var view = new DataView(buffer);
    var size = view.getUint32(0, true);
    var header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, size)));
    var at = 4 + size, where = [];
    header.terms.forEach(function (term, i) {
      where.push([term, at, header.counts[i]]);
      at += 4 * header.counts[i];
    });
    return { view: view, terms: where };
  }

  /* the chunks that can hold `term` (and, for a prefix, the words that start with it) */
  function chunkRange(m, term) {
    var firsts = m.chunks, lo = 0, hi = firsts.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (compare(firsts[mid], term) <= 0) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    var end = at;
    if (prefixOk(term)) {
      while (end + 1 < firsts.length && end - at + 1 < MAX_CHUNKS &&
             firsts[end + 1].lastIndexOf(term, 0) === 0) end += 1;
    }
    var out = [];
    for (var i = at; i <= end && i < firsts.length; i += 1) out.push(i);
    return out;
  }

  /* doc -> best BM25 score of any index term matching `term` (exact, or as a prefix) */
  function scores(m, chunks, term) {
    var best = new Map();
    chunks.forEach(function (chunk) {
      chunk.terms.forEach(function (entry) {
        var key = entry[0], at = entry[1], df = entry[2];
        if (!matches(key, term)) return;
        var idf = Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
        var factor = key === term ? 1 : PREFIX;
        for (var i = 0; i < df; i += 1) {
          var posting = chunk.view.getUint32(at + 4 * i, true);
          var doc = posting >>> 8, tf = posting & 255;
          var norm = K1 * (1 - B + B * (m.lengths[doc] / (m.average || 1)));
          var score = factor * idf * (tf * (K1 + 1)) / (tf + norm);
          if (!(best.get(doc) >= score)) best.set(doc, score);
        }
      });
    });
    return best;
  }

  function rank(m, terms) {
    return Promise.all(terms.map(function (term) {
      return Promise.all(chunkRange(m, term).map(function (i) {
        return fetched(new URL("t/" + i + ".bin", m.folder).href, "chunk");
      })).then(function (chunks) { return scores(m, chunks, term); });
    })).then(function (perTerm) {
      perTerm.sort(function (a, b) { return a.size - b.size; });
      var found = [];
      perTerm[0].forEach(function (score, doc) {  // every term must match (AND)
        var total = score;
        for (var i = 1; i < perTerm.length; i += 1) {
          var other = perTerm[i].get(doc);
          if (other === undefined) return;
          total += other;
        }
        found.push([doc, total]);
      });
      found.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return found;
    });
  }

  function resultFile(m, doc) {
    return fetched(new URL("d/" + doc + ".txt", m.folder).href, "text").then(function (raw) {
      var line = raw.indexOf("\n");
      var head = JSON.parse(line < 0 ? raw : raw.slice(0, line));
      head.text = line < 0 ? "" : raw.slice(line + 1);
      return head;
    });
  }

  /* The excerpt: the window of WINDOW words that holds the most query terms, with <mark>
     around the matched words; built as text nodes and <mark> elements only, so no markup from
     a case can ever come alive. */
  function tidy(text) {
    return text.replace(/\s+/g, " ").replace(/ ¶(?= |$)/g, "")
      .replace(/ ([.,;:!?)\]])/g, "$1").replace(/([(\[]) /g, "$1").trim();
  }

  function excerptNodes(rawText, terms) {
    var text = tidy(rawText);
    var words = [], hits = [], match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      var mask = 0;
      var own = wordTerms(match[0]);
      for (var t = 0; t < terms.length && t < 30; t += 1) {
        for (var k = 0; k < own.length; k += 1) {
          if (matches(own[k], terms[t])) { mask |= 1 << t; break; }
        }
      }
      if (mask) hits.push(words.length);
      words.push([match.index, match.index + match[0].length, mask]);
    }
    var start = 0, bestCount = -1;
    hits.slice(0, 300).forEach(function (at) {
      var seen = 0, count = 0;
      for (var i = at; i < Math.min(words.length, at + WINDOW); i += 1) {
        if (words[i][2] & ~seen) { count += 1; seen |= words[i][2]; }
      }
      if (count > bestCount) { bestCount = count; start = at; }
    });
    start = Math.max(0, start - 4);
    var end = Math.min(words.length, start + WINDOW);
    var out = document.createDocumentFragment();
    if (!words.length) {
      out.appendChild(document.createTextNode(text.slice(0, 200)));
      return out;
    }
    var from = start ? words[start][0] : 0;
    var to = end < words.length ? words[end - 1][1] : text.length;
    var pos = from;
    if (start) out.appendChild(document.createTextNode("… "));
    for (var w = start; w < end; w += 1) {
      if (!words[w][2]) continue;
      if (words[w][0] > pos) out.appendChild(document.createTextNode(text.slice(pos, words[w][0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(words[w][0], words[w][1]);
      out.appendChild(mark);
      pos = words[w][1];
    }
    if (to > pos) out.appendChild(document.createTextNode(text.slice(pos, to)));
    if (end < words.length) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(items, total, terms) {
    list.innerHTML = "";
    if (!total) {
      meta.textContent = say("docketNone", "No matching documents");
      return;
    }
    meta.textContent = (total === 1 ? say("docketOne", "1 matching document")
      : say("docketOther", "# matching documents", total)) +
      (items.length ? "; arrow keys move through the results" : "");
    items.forEach(function (data) {
      var li = element("li", "md-search-result__item");
      var link = element("a", "md-search-result__link");
      link.href = new URL(data.url, base).href;
      var article = element("article", "md-search-result__article md-typeset");
      article.appendChild(element("h1", "", data.title || data.url));
      var facts = [data.meta && data.meta.status, data.meta && data.meta.date].filter(Boolean);
      if (facts.length) article.appendChild(element("p", "docket-search-facts", facts.join(" · ")));
      var text = element("p");
      text.appendChild(excerptNodes(data.text || "", terms));
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

  function answer(terms, fresh) {
    return load(fresh).then(function (m) {
      return rank(m, terms).then(function (found) {
        return Promise.all(found.slice(0, SHOWN).map(function (hit) {
          return resultFile(m, hit[0]);
        })).then(function (items) { return [items, found.length]; });
      });
    });
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    var terms = queryTerms(query);
    if (!query) {
      list.innerHTML = "";
      meta.textContent = say("docketPlaceholder", "Type to start searching");
      return;
    }
    if (!terms.length) {
      list.innerHTML = "";
      meta.textContent = say("docketNone", "No matching documents");
      result.setAttribute("data-docket-search-done", query);
      return;
    }
    answer(terms, false).catch(function () {
      return answer(terms, true);  // the index was replaced meanwhile (mkdocs serve)
    }).then(function (done) {
      if (ticket === latest) render(done[0], done[1], terms);
    }).catch(function (error) {
      if (ticket === latest) meta.textContent = "Search is not available here (" + error.message + ")";
    }).then(function () {
      if (ticket === latest) result.setAttribute("data-docket-search-done", query);  // for tests
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 150);
  });
  input.addEventListener("focus", function () {
    if (toggle && !toggle.checked) toggle.checked = true;
    load(false).catch(function () { /* reported when searching */ });
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
  /* Material's shortcuts: "/" or "s" (outside a text field) opens the search box; Escape
     closes it. */
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle && toggle.checked) {
      toggle.checked = false;
      input.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      if (toggle) toggle.checked = true;
      input.focus();
    }
  });
})();
