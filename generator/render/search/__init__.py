"""Full-text search: docket's own static index, split into small files the browser fetches.

Two steps, so the costly one can run wherever the pages are rendered (forked workers):
`search_record` turns one case page into a `SearchRecord` (its public text and term counts:
pure, no I/O, cheap to pickle), and `write_index` inverts the records into the files under
`site/search/` that theme/assets/docket-search.js queries. A query downloads the manifest,
the term chunks holding its terms and one small file per shown result, not the whole index.

Text is tokenised the way the browser tokenises queries (docket-search.js keeps the same
rules): words are runs of Unicode letters, digits and `_`, case- and diacritics-folded
(lower case, NFKD without combining marks, ß as ss); dotted runs such as `a20140408.1` or
`cacert.org` are terms too, beside their parts; a CamelCase name (`EvaStöwe`) adds its parts
(`eva`, `stowe`: split before an ASCII capital); a number behind one to three letters
(`a20140408`) adds the number.
"""

from generator.render.search.index import (
    CHUNK_BYTES,
    FORMAT,
    SCRIPT,
    SEARCH_DIR,
    SearchIndexError,
    script_name,
    write_index,
)
from generator.render.search.rebuilds import BackgroundSearch, SearchRecords
from generator.render.search.records import (
    IGNORE,
    MAX_TF,
    META,
    TITLE_WEIGHT,
    SearchRecord,
    page_text,
    public_html,
    search_record,
)
from generator.render.search.tokens import _count, fold, query_terms, text_terms, word_terms

__all__ = [
    "CHUNK_BYTES", "FORMAT", "IGNORE", "MAX_TF", "META", "SCRIPT", "SEARCH_DIR", "TITLE_WEIGHT",
    "BackgroundSearch", "SearchIndexError", "SearchRecord", "SearchRecords", "_count", "fold",
    "page_text", "public_html", "query_terms", "script_name", "search_record", "text_terms",
    "word_terms", "write_index",
]  # fmt: skip
