"""List the modules of a generated package that black (with the generator's settings) would change.

Usage: ``python -P blackform.py PACKAGE_DIR RESULT.json`` (run by the harness in a subprocess). The generator
writes black's form without running black on most of it (see ``generator/emit/formatting.py``), so this is
the check that it does: ``{module: "first line black changes"}``. The runtime modules, copied as they are
into every package, are the test suite's to check (``tests/test_black_form.py``), not each document's.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path


def main() -> None:
    folder, result_file = Path(sys.argv[1]), sys.argv[2]
    from generator.emit.formatting import format_python
    from generator.emit.runtime import runtime_files

    copied = {text.decode() for text in runtime_files(folder.name).values()}
    changed: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text in copied:
            continue
        formatted = format_python(text, path.name)
        if formatted != text:
            first = next(
                (
                    line
                    for line in difflib.unified_diff(text.splitlines(), formatted.splitlines(), lineterm="", n=0)
                    if line.startswith("-") and not line.startswith("---")
                ),
                "(black adds lines)",
            )
            changed[path.relative_to(folder).as_posix()] = first[:200]
    Path(result_file).write_text(json.dumps(changed))


if __name__ == "__main__":
    main()
