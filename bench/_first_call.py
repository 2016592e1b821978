"""Import time and first call of one operation of a generated package, in a fresh interpreter.

    python -P bench/_first_call.py OUT PACKAGE

Run by ``bench/run.py --realworld``, with the package's bytecode compiled beforehand. Times
``from PACKAGE import Client``; then calls one operation (the first, by name, that has fixtures)
through ``PACKAGE.testing.MockAPI`` with the probe's arguments (``tests/realworld/probe.py``) and
times that call alone. Prints one JSON object: the two times, the operation, the call's error if
any, and how many modules were loaded: in all by the mock and the call, by the call alone (its
arguments made, its method looked up), and the package's own (all, and its ``models`` modules)
after the import and after the call, against how many it has.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path


def main() -> None:
    out, package = Path(sys.argv[1]), sys.argv[2]
    sys.path.insert(0, str(out))
    start = time.perf_counter()
    importlib.import_module(package).Client  # noqa: B018 - as `from PACKAGE import Client`, a lazy attribute too
    import_s = time.perf_counter() - start

    def own(prefix: str) -> int:
        return sum(1 for name in sys.modules if name == prefix or name.startswith(prefix + "."))

    own_after_import = own(package)
    # The probe's helpers come after the timed import and before the count: they import nothing of the package.
    sys.path.append(str(Path(__file__).resolve().parent.parent))
    from tests.realworld.probe import _arguments

    after_import = set(sys.modules)
    testing = importlib.import_module(f"{package}.testing")
    root = out / package
    fixtures = (
        sorted(p.name for p in (root / "fixtures").iterdir() if p.is_dir()) if (root / "fixtures").is_dir() else []
    )
    result: dict[str, object] = {"import_s": import_s, "operation": None, "call_s": None, "error": None}
    with testing.MockAPI().client() as client:
        operation = next((name for name in fixtures if callable(getattr(client, name, None))), None)
        if operation is not None:
            result["operation"] = operation
            method = getattr(client, operation)
            try:
                kwargs = _arguments(method, testing, operation)
                before_call = set(sys.modules)
                start = time.perf_counter()
                try:
                    method(**kwargs)
                finally:
                    result["call_s"] = time.perf_counter() - start
                    result["modules_loaded_by_call_alone"] = len(set(sys.modules) - before_call)
            except Exception as error:  # the time and the modules are still figures; the error is shown
                result["error"] = f"{type(error).__name__}: {error}".splitlines()[0][:200]
    modules = [p.relative_to(out).with_suffix("") for p in root.rglob("*.py")]
    result.update(
        modules_loaded_by_mock_and_call=len(set(sys.modules) - after_import),
        own_after_import=own_after_import,
        own_after_call=own(package),
        own_total=len(modules),
        models_after_call=own(f"{package}.models") - (f"{package}.models" in sys.modules),
        models_total=sum(1 for m in modules if m.parts[1:2] == ("models",) and m.name != "__init__"),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
