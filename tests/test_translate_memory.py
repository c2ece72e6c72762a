"""What a translate run keeps of its translations lives on disk (l10n.mt.journal.Known), not in its memory."""

from __future__ import annotations

import json

import pytest

from l10n.mt.journal import Journal, Known


def test_known_is_a_mapping_whose_later_row_wins():
    known = Known()
    known.add([("Haus", "house", 0.5), ("Baum", "tree", 0.25), ("Haus", "building", 0.5)])
    known.add([("Haus", "home", 0.75)] + [(f"Satz {i}", f"sentence {i}", 0.5) for i in range(450)])
    assert known["Satz 449"] == ("sentence 449", 0.5) and len(known) == 452  # rows go in several statements
    known.add([("Baum", "wood", 0.25), ("Baum", "tree", 0.25)])  # later rows win, within one call too

    assert {t: known[t] for t in ("Haus", "Baum")} == {"Haus": ("home", 0.75), "Baum": ("tree", 0.25)}
    assert "Baum" in known and "Wald" not in known
    assert known.get("Wald") is None
    with pytest.raises(KeyError):
        known["Wald"]
    known.close()


def test_rows_loaded_from_the_journal_are_recovered_and_this_runs_are_not(tmp_path):
    path = tmp_path / "translate-journal.jsonl"
    rows = [{"e": "sig", "s": f"Satz {i}", "t": f"sentence {i}", "c": 0.5} for i in range(2_500)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    journal = Journal(path)

    known = journal.load("sig")  # more lines than are taken in at a time
    known.add([("Neu", "new", 1.0)])

    assert len(known) == 2_501
    assert known["Satz 2499"] == ("sentence 2499", 0.5)
    found = known.found(["Satz 0", "Neu", "Wald"] + [f"Satz {i}" for i in range(1_000, 2_000)])
    assert found["Satz 0"] == ("sentence 0", 0.5, True) and found["Neu"] == ("new", 1.0, False)
    assert "Wald" not in found and len(found) == 1_002
    assert journal.load("other") == {}
    known.close()
