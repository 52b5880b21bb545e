"""The real-text check separates real people's names (removed by policy) from ordinary words.

The excerpt here is synthetic; the real excerpts are never committed.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import realtext
from tests.anonymise_fixtures import anonymiser  # noqa: F401  (session fixture)


def test_listed_real_names_do_not_count_as_ordinary_words(tmp_path: Path, anonymiser) -> None:  # noqa: F811
    (tmp_path / "01.txt").write_text(
        "Marlowe Quenby-Fitch, the Independent Chair, thanked the Business Unit. Quenby-Fitch said "
        "the review of Baby Q was published.\n",
        encoding="utf-8",
    )
    (tmp_path / "x-SOURCES.txt").write_text("01.txt\thttps://example.org/a\tA\n", encoding="utf-8")
    (tmp_path / "x-NAMES.tsv").write_text(
        "file\ttext\tkind\n01.txt\tMarlowe Quenby-Fitch\tperson\n01.txt\tQuenby-Fitch\tperson\n"
        "01.txt\tBaby Q\tpseudonym\n",
        encoding="utf-8",
    )
    result = realtext.run(tmp_path)
    assert result["files"] == 1  # the list of sources is not an excerpt
    assert result["real_names"] == 2  # the full name, and the surname alone later
    assert result["real_names_removed"] == 2
    assert result["changed_words"] == 5  # "Marlowe Quenby-Fitch" is three words, then two
    assert result["ordinary_changed_words"] == 0  # the Business Unit and Baby Q are kept
    assert "ordinary words changed" in realtext.report(result, listing=False)


def test_without_a_list_of_names_every_change_counts(tmp_path: Path) -> None:
    (tmp_path / "01.txt").write_text("Plain words only.\n", encoding="utf-8")
    assert realtext.real_names(tmp_path) is None
    assert realtext.name_spans("Ann Lee met Lee.", {"Ann Lee", "Lee"}) == [(0, 7), (12, 15)]
