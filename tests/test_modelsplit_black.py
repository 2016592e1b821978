"""Models modules are written as black writes them where that is known, so black formats each once.

black's ``format_str`` formats a second time whenever its first pass changed anything; a
long import line written on one line would cost every module that has one a second pass.
"""

from __future__ import annotations

import ast

import pytest

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
WIDE = "C" * 80
# datamodel-code-generator's commonest long lines, each of a shape black splits in one known way.
KNOWN = f"""from enum import Enum
from typing import Annotated
from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType
{ALIAS} = TypeAliasType("{ALIAS}", Annotated[str | None, Field(max_length=5000)])
class Category(Enum):
    {LONG} = "{LONG.lower()}"
class {LONG}(BaseModel):
    annotated_{LONG}: Annotated[str | None, Field(max_length=5000, title="title")] = None
    union_{LONG}: {ALIAS} | Category | None = None
    parts_{LONG}: {LONG} | {ALIAS} | dict[str, {LONG}] | None = None
    required_{LONG}: {LONG} | {ALIAS} | dict[str, {LONG}] | None
    defaulted: Annotated[str | None, Field(max_length=5000, title="{LONG[:30]}")] = None
    union_defaulted: {LONG} | dict[str, int] | None = None
{WIDE} = TypeAliasType("{WIDE}", Annotated[str, Field(max_length=5000)])
class {WIDE}Model(BaseModel):
    value: int
{LONG}Bound = {WIDE}Model
"""
# Long lines of other shapes, which black splits otherwise (or not at all): left to black.
LEFT = f"""{ALIAS} = TypeAliasType("{ALIAS}", Annotated[str | None, Field(max_length=5000)],)
{ALIAS} = TypeAliasType("{ALIAS}", Annotated[str | None, Field(max_length=5000)])  # a comment
{LONG} = TypeAliasType("{LONG}", Annotated[str | None, Field(max_length=5000, description="{LONG}")])


class Category(Enum):
    {LONG} = "{LONG.lower() * 2}"
    {LONG}: {LONG * 2} | None = None
    {LONG}: Annotated[str | None, Field(description="{LONG}", title="{LONG}", **extra)] = None
    phase: Annotated[{ALIAS}, Field(title="Phase", validate_default=True)] = {{"label": "Single", "value": "1"}}
    kinds: {ALIAS} | {ALIAS}Model | None = ["{ALIAS}", "{LONG}"]
{LONG}Bound = {WIDE}{WIDE}
"""


def test_the_splitter_writes_the_long_lines_it_knows_as_black_does_and_leaves_the_others() -> None:
    assert sum(len(line) > LINE_LENGTH for line in KNOWN.splitlines()) == 11
    module = split_models(
        KNOWN, {"g": {ALIAS, "Category", LONG, WIDE, f"{LONG}Bound"}}, {"g": "G.", "_shared": "S."}
    ).sources["g"]
    assert max(len(line) for line in module.splitlines()) <= LINE_LENGTH
    assert format_python(module, "g.py") == module  # black's form: one pass
    tree = ast.parse(LEFT)
    assert list(long_line_splits(tree, physical_lines(LEFT))) == []


# Fields whose Field(...) call is too long for its line too: black splits it in turn, its arguments on a
# line of their own, or one a line, or a lone string alone however long (with no trailing comma).
NESTED = [
    f'    a_{LONG}: Annotated[str | None, Field(alias="{ALIAS}", max_length=34, min_length=34)] = None',
    f'    b: Annotated[str, Field(alias="{ALIAS}", max_length=34, pattern="^{"x" * 40}$", title="t")]',
    f'    c: Annotated[str | None, Field(pattern="^{"x" * 120}$")] = None',
    f'    d: Annotated[str, Field(description="{LONG}", max_length=5000, min_length=1, title="{LONG}")]',
    f'    e: Annotated[list[{ALIAS}], Field(min_length=1), Field(description="{LONG}", title="{LONG}")]',
]


@pytest.mark.parametrize("line", NESTED)
def test_a_long_field_call_is_split_in_turn_as_black_splits_it(line: str) -> None:
    source = f"class A(BaseModel):\n{line}\n"
    lines = physical_lines(source)
    [(row, split)] = list(long_line_splits(ast.parse(source), lines))
    assert f"class A(BaseModel):\n{split(lines[row - 1].rstrip(chr(10)))}" == format_python(source, "t.py")
