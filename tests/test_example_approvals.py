"""The bundled example site publishes: every example marked for publication has a current approval.

An approval is of one exact anonymised output. When a change to the anonymisation pass changes what
an example publishes, this fails: read the new redaction reports (`bscp report ID`) and approve again
(`bscp approve ID --reviewer NAME`), as a partnership's reviewer would.
"""

from __future__ import annotations

from pipeline.anonymise.approval import APPROVED, approval_state
from pipeline.content.project import load_project
from pipeline.published import publishable
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (loads the model once)
from tests.conftest import EXAMPLE_CONTENT, EXAMPLE_TODAY


def test_every_example_publication_has_a_current_approval(anonymiser) -> None:  # noqa: F811
    project = load_project(EXAMPLE_CONTENT, EXAMPLE_TODAY)
    # A publication past its available-until date shows only a withdrawal notice: nothing to approve.
    states = {
        entry.id: approval_state(project, entry)
        for entry, doc in publishable(project)
        if doc.available_until is None or doc.available_until >= project.today
    }
    assert len(states) >= 4
    assert states == dict.fromkeys(states, APPROVED)
