"""docket's adapter to MkDocs (and ProperDocs, which answers to `import mkdocs`): the only part
of generator/ that knows MkDocs or Material (tests/test_architecture.py holds it to that).

- plugin.py: the `docket` plugin's hooks; each build's state is a `BuildState` (state.py), and
  what `mkdocs serve` keeps between rebuilds a `ServeState`;
- compat.py: which MkDocs versions the fast paths may reach into, and the one line said when not;
- pages.py: MkDocs's File and Page, as docket's generated pages use them;
- parallel.py: the case pages wrapped in the theme by forked processes (a cold build);
- serve.py and devserver.py: the incremental dev server and its error page;
- search.py: the search-index step after the pages are written;
- boundary.py: the escaping of what docket hands MkDocs as HTML (titles, descriptions, toc);
- export.py: `docket export`'s site source (mkdocs.yml, templates, assets, search index) for
  MkDocs without the plugin, ProperDocs and Zensical.

generator/plugin.py only re-exports the plugin, for the `mkdocs.plugins` entry point.
"""
