"""Index tables: rows built in Python come out as the Jinja table macro wrote them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.collection import check_paths
from generator.config import load_config
from generator.render.context import make_env
from generator.render.indexes import _row
from tests.support.paths import FIXTURES

# the row of the table macro in generator/render/templates/_table.html as it was (Jinja,
# autoescaped), before rows were built in Python
JINJA_ROW = """{%- for r in rows %}
<tr data-status="{{ r.status }}" data-year="{{ r.year }}" data-topics="{{ r.topics }}" \
data-people="{{ r.people }}">
<td data-key="{{ r.key }}"><a href="{{ r.href }}">{{ r.number }}</a></td>
<td data-key="{{ r.status_key }}">{{ status_badge(r.status) }}</td>
<td>{{ r.synopsis }}</td>
<td>{{ r.cm }}</td>
<td>{{ r.arbitrator }}</td>
<td>{{ r.started }}</td>
<td>{{ r.ruled }}</td>
{%- if closed %}
<td>{{ r.closed }}</td>
{%- endif %}
</tr>
{%- endfor %}"""


@pytest.mark.parametrize("fixture", ["archive", "archive-xss", "real"])
def test_rows_are_escaped_as_jinja_escaped_them(fixture: str) -> None:
    root = Path(FIXTURES / fixture)
    config = load_config(root)
    cases = check_paths([config.cases_dir], config, base=config.root, jobs=1).cases
    template = make_env().from_string(JINJA_ROW)
    for case in cases:
        row = _row(case, f"../../cases/{case.number}/")
        fields = {k: v for k, v in row.items() if not k.startswith("html")}
        assert row["html"] == template.render(rows=[fields], closed=True)
        assert row["html_open"] == template.render(rows=[fields], closed=False)
    if fixture == "archive-xss":  # the payloads are there, and escaped
        html = "".join(_row(case, "x/")["html"] for case in cases)
        assert "&lt;script&gt;" in html or "&lt;svg" in html
        assert "<script" not in html
