"""The redaction report is self-contained and shows every finding."""

from __future__ import annotations

import json
import re

from pipeline.anonymise.report import write_report
from pipeline.anonymise.run import anonymise_entry
from tests.anonymise_fixtures import anonymiser, project  # noqa: F401


def test_report_is_self_contained_and_lists_every_finding(project) -> None:  # noqa: F811
    result = anonymise_entry(project, project.reviews[0], use_cache=False)
    written = write_report(project, result)
    html = written.html.read_text()
    assert not re.search(r"""(?:src|href)=["']?https?:""", html)
    assert "<link" not in html and "<script src" not in html
    data = json.loads(written.json.read_text())
    assert len(data["findings"]) == len(result.all_findings()) > 5
    for finding in result.all_findings():
        assert f'data-type="{finding.entity_type}"' in html
    assert html.count('<mark class="finding"') == len(result.all_findings())
    assert "Please check" in html and 'type="checkbox"' in html
    # The page ends with the exact command that approves it.
    assert html.rindex(
        "bscp approve BSCP-2024-25-03 --reviewer &quot;Your Full Name&quot;"
    ) > html.rindex("Every replacement")
    # One item per distinct kept string: never more items than notes, and none for a replaced word.
    replaced = {f.text.casefold() for f in result.all_findings()}
    assert len(data["please_check"]) <= len(data["notes"])
    assert not any(
        i["subject"].casefold() in replaced
        for i in data["please_check"]
        if i["category"] == "check"
    )
