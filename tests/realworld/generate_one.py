"""Generate one document in this process, as ``python -m generator`` would, and write what happened as JSON.

Usage: ``python generate_one.py SPEC OUT RESULT.json`` (run by the harness in a subprocess with a timeout).
The command line's own entry point is called, so its exit status and messages are what a user sees; on an
internal error the pipeline is run again to keep the traceback. Each long line the models splitter splits
itself is held to black on the way.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _hold_splits_to_black() -> list[str]:
    """Hold each long line the models splitter splits itself (``formatting.long_line_splits``) to what black
    makes of the line as the model generator wrote it; the list it returns fills with the first line of
    each split black would not make. (Black's verdict on the module written cannot see one it would not
    make but keeps, such as a trailing comma that holds items one a line.) The models are made in this
    process for the check to see them."""
    from generator import pipeline
    from generator.emit import formatting, modelsplit

    pipeline.WORKER_FROM = sys.maxsize
    found: list[str] = []
    splits = modelsplit.long_line_splits

    def held(tree: Any, lines: list[str]) -> Iterator[tuple[int, Callable[[str], str]]]:
        for row, split in splits(tree, lines):
            line = lines[row - 1].rstrip("\n")
            indent = line[: len(line) - len(line.lstrip())]
            # A class body's statement needs its class, and a class statement a body, to be formatted alone.
            head = "class _:\n" if indent else ""
            body = f"{indent}    x: int\n" if line.lstrip().startswith("class ") else ""
            made = split(line)
            # A statement with an escape black writes otherwise (a quote in a string it requotes) is put
            # through black after the split: there it is what black makes of the split that must be black's.
            if formatting._needs_black(made, made):  # the pipeline's own rule for a class member
                made = formatting.format_python(f"{head}{made}{body}", "a long line")[len(head) :]
                made = made[: len(made) - len(body)]
            if formatting.format_python(f"{head}{line}\n{body}", "a long line") != f"{head}{made}{body}":
                found.append(line.strip()[:200])
            yield row, split

    modelsplit.long_line_splits = held
    return found


def main() -> None:
    spec, out, result_file = sys.argv[1:4]
    from generator import cli

    not_black = _hold_splits_to_black()
    cli.capped = lambda lines: lines  # every warning: each skipped operation is counted
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = cli.main([spec, "--out", out])
        except BaseException:  # a traceback out of the entry point is what is being looked for
            status = -1
            print(traceback.format_exc(), file=sys.stderr)
    result: dict[str, object] = {"status": status, "stderr": stderr.getvalue(), "stdout": stdout.getvalue()}
    result["splits not black's"] = not_black
    if status == 3:
        from generator.pipeline import generate

        try:
            generate(Path(spec))
        except Exception:  # the traceback of the internal error is the point
            result["traceback"] = traceback.format_exc()
    Path(result_file).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
