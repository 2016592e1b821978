"""Models modules are written as black writes them where that is known, so black formats each once.

black's ``format_str`` formats a second time whenever its first pass changed anything; a
long import line written on one line would cost every module that has one a second pass.
"""

from __future__ import annotations

import ast

from generator.emit.formatting import LINE_LENGTH, format_python, long_line_splits
from generator.emit.modelsplit import split_models
from generator.emit.sourcelines import physical_lines

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


LONG = "A" * 60
ALIAS = "B" * 40
# datamodel-code-generator's two commonest long lines, each as black splits it.
SPLIT = f"""{ALIAS} = TypeAliasType(
    "{ALIAS}", Annotated[str | None, Field(max_length=5000)]
)


class Category(Enum):
    {LONG} = (
        "{LONG.lower()}"
    )
"""
# Long lines of other shapes, which black splits otherwise (or not at all): left to black.
LEFT = f"""{ALIAS} = TypeAliasType("{ALIAS}", Annotated[str | None, Field(max_length=5000)],)
{ALIAS} = TypeAliasType("{ALIAS}", Annotated[str | None, Field(max_length=5000)])  # a comment
{LONG} = TypeAliasType("{LONG}", Annotated[str | None, Field(max_length=5000, description="{LONG}")])


class Category(Enum):
    {LONG} = "{LONG.lower() * 2}"
    {LONG}: Annotated[str | None, Field(max_length=5000)] = None
"""


def test_the_splitter_writes_the_long_lines_it_knows_as_black_does_and_leaves_the_others() -> None:
    one_line = f"""{ALIAS} = TypeAliasType("{ALIAS}", Annotated[str | None, Field(max_length=5000)])
class Category(Enum):
    {LONG} = "{LONG.lower()}"
"""
    assert max(len(line) for line in one_line.splitlines()) > LINE_LENGTH
    imports = "from enum import Enum\nfrom typing import Annotated\nfrom pydantic import Field\nfrom typing_extensions import TypeAliasType\n"
    module = split_models(imports + one_line, {"g": {ALIAS, "Category"}}, {"g": "G.", "_shared": "S."}).sources["g"]
    assert SPLIT in module
    assert format_python(module, "g.py") == module  # black's form: one pass
    tree = ast.parse(LEFT)
    assert list(long_line_splits(tree, physical_lines(LEFT))) == []
