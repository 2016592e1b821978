"""The models splitter writes its import lines as black writes them, so black formats each module once.

black's ``format_str`` formats a second time whenever its first pass changed anything; a
long import line written on one line would cost every module that has one a second pass.
"""

from __future__ import annotations

from generator.emit.formatting import LINE_LENGTH, format_python
from generator.emit.modelsplit import split_models

# Eight models both groups use (so they go to _shared), named long enough that one line of them
# is over black's limit; each group's model uses them all, and one pydantic name.
SHARED = [f"SharedModelWithAFairlyLongName{index}" for index in range(8)]
SOURCE = (
    "from pydantic import BaseModel, ConfigDict, Field\n"
    + "".join(f"class {name}(BaseModel):\n    value: int\n" for name in SHARED)
    + "".join(
        f'class {group}(BaseModel):\n    model_config = ConfigDict(extra="forbid")\n'
        + "".join(f"    f{index}: {name} | None = None\n" for index, name in enumerate(SHARED))
        for group in ("First", "Second")
    )
)


def test_a_long_import_is_written_as_black_writes_it_and_a_short_one_on_one_line() -> None:
    modules = split_models(
        SOURCE, {"first": {"First"}, "second": {"Second"}}, {"first": "F.", "second": "S.", "_shared": "Sh."}
    )
    first = modules.sources["first"]
    names = "".join(f"    {name},\n" for name in sorted(SHARED))
    assert f"from ._shared import (\n{names})\n" in first
    assert "from pydantic import BaseModel, ConfigDict\n" in first
    assert len(f"from ._shared import {', '.join(SHARED)}") > LINE_LENGTH  # the case this test is about
    # black has nothing to change in the module, so it makes one pass, not two.
    assert format_python(first, "first.py") == first
