"""The real-world gate: every document of ``corpus.txt`` must do no worse than the committed baseline.

Not collected by the test suite's default run (its name does not start with ``test_``): ``.ci/run`` calls it
after the suite, as ``python -m pytest tests/realworld/gate.py -s``. ``REALWORLD_JOBS`` sets how many
documents run side by side (default 2).
"""

from __future__ import annotations

import os

from tests.realworld import corpus, harness


def test_corpus_does_no_worse_than_the_baseline() -> None:
    documents = corpus.read()
    outcomes = harness.run(documents, int(os.environ.get("REALWORLD_JOBS", "2")))
    summary = harness.write_report(outcomes)
    print()
    print(harness.table(summary, outcomes))
    print(f"{harness.TARGETS}: {'met' if summary.targets_met() else 'MISSED'}")
    new, fixed = harness.compare(outcomes, harness.read_baseline(), {document.name for document in documents})
    for key in fixed:
        print(f"fixed (drop it from the baseline with python -m tests.realworld --update-baseline): {key}")
    assert not new, (
        f"{len(new)} failure(s) not in tests/realworld/baseline.json (a regression; or, after a fix, what the"
        " fixed failure hid: then accept them with python -m tests.realworld --update-baseline):\n" + "\n".join(new)
    )
