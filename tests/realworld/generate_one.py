"""Generate one document in this process, as ``python -m generator`` would, and write what happened as JSON.

Usage: ``python generate_one.py SPEC OUT RESULT.json`` (run by the harness in a subprocess with a timeout).
The command line's own entry point is called, so its exit status and messages are what a user sees; on an
internal error the pipeline is run again to keep the traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
from pathlib import Path


def main() -> None:
    spec, out, result_file = sys.argv[1:4]
    from generator import cli

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = cli.main([spec, "--out", out])
        except BaseException:  # a traceback out of the entry point is what is being looked for
            status = -1
            print(traceback.format_exc(), file=sys.stderr)
    result: dict[str, object] = {"status": status, "stderr": stderr.getvalue(), "stdout": stdout.getvalue()}
    if status == 3:
        from generator.pipeline import generate

        try:
            generate(Path(spec))
        except Exception:  # the traceback of the internal error is the point
            result["traceback"] = traceback.format_exc()
    Path(result_file).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
