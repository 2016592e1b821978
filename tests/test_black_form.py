"""The generator writes black's form without running black on most of it; each shortcut is held to black here.

Where a check says black would change nothing, black must agree (the converse only costs time): for model
statements and class docstrings (``formatting.black_form``, ``formatting.docstring_in_form``), for string
literals (``literals.python_literal``) and for the literals the templates lay out by their length
(``render.literal_lines``, ``render.frozenset_lines``). Every package the tests generate through
``import_generated`` and every document of the real-world corpus is checked whole too.
"""

from __future__ import annotations

import ast
import itertools
import random

import pytest

from generator.emit import formatting
from generator.emit.formatting import (
    LINE_LENGTH,
    black_form,
    docstring_in_form,
    format_python,
    pre_formatted_lines,
    rendered_black_form,
)
from generator.emit.render import bracketed, declaration_line, frozenset_lines, literal_lines, union_lines
from generator.emit.runtime import runtime_files
from generator.literals import python_literal


def _pre_formatted(source: str) -> str:
    """``source`` as the models splitter gets its rows."""
    return "".join(pre_formatted_lines(source, ast.parse(source)))


_FIRST_LINES = ["", "Doc", " Doc", "Doc ", '"Doc', 'Doc"', "Doc\\\\", "a" * 120]
_LATER_LINES = ["", "    ", "    more", "     more", "  more", "      - item", "    more  ", "\tmore", "    end\\\\"]


def _docstrings() -> list[str]:
    docstrings = []
    for first in _FIRST_LINES:
        docstrings.append(f'"""{first}"""')
        for count in (1, 2):
            for later in itertools.product(_LATER_LINES, repeat=count):
                docstrings.append('"""' + "\n".join([first, *later]) + '"""')
                docstrings.append('"""' + "\n".join([first, *later, "    "]) + '"""')
    return docstrings


def _class(docstring: str) -> str:
    return f"class A(B):\n    {docstring}\n\n    x: int\n"


def test_a_docstring_is_taken_as_black_writes_it_only_where_black_keeps_it() -> None:
    kept = [docstring for docstring in _docstrings() if docstring_in_form(docstring, "    ")]
    wrong = [docstring for docstring in kept if format_python(_class(docstring), "t.py") != _class(docstring)]
    assert wrong == []
    # Not vacuous: the forms datamodel-code-generator and the enum template write are recognized.
    assert {'"""\n    more\n    """', '"""Doc\n    more"""', '"""Doc"""', '"""\n    more\n\n    """'} <= set(kept)


STATEMENTS = [
    'class A(B):\n    """\n    Doc.\n    """\n\n    x: int\n',
    'class A(B):\n    """\n     Doc.\n    """\n\n    x: int\n',  # black dedents the docstring
    'class A(B):\n    x: Annotated[str, Field(alias="a")]\n    """\n     not a docstring to black\n    """\n',
    "class A(B):\n    x: str = 'single'\n",  # the pre-formatter's to requote
    'class A(B):\n    x: str = "\\xAB"\n',  # black writes the hex in lower case
    'class A(B):\n    x: str = "say \\"hi\\""\n',  # black picks single quotes
    f'class A(B):\n    x: Annotated[str, Field(alias="{"a" * 90}")] = None\n',  # too long: black splits it
    'class A(B):\n    x: str = "caf\u00e9"\n',  # not ASCII: black measures width
    'class A(B):\n    """\n    Doc.\r\n    """\n\n    x: int\n',
    'A = TypeAliasType("A", Annotated[str, Field(pattern="\\\\d")])\n"""\nAn alias.\n"""\n',
]


# Classes black has work on in some fields only: black is given those fields, each alone.
_FIELD = f'Annotated[str, Field(alias="{"a" * 70}")] = None'
MEMBERWISE = [
    f'class A(B):\n    """Doc."""\n\n    x: int\n    y: {_FIELD}\n    """After y."""\n    z: str = "w\\\'t"\n',
    f'class A(B):\n    x: {_FIELD}\n    y: str = "caf\u00e9"\n\n    z: {_FIELD}\n',
    f'class A(B):\n    x: {_FIELD}\n    """{"long " * 30}"""\n',  # a long string after a field stays
    f'class A(B):\n    x: {_FIELD}\n    """Not a docstring to black\r\n    """\n',  # but not its \r: whole
    f'class {"A" * 50}({"B" * 50}, C):\n    x: {_FIELD}\n',  # nor a long header: whole
]
STATEMENTS += MEMBERWISE


def _black_recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What black is given from here on, recorded."""
    given: list[str] = []
    black = formatting.format_python

    def recorded(source: str, name: str) -> str:
        given.append(source)
        return black(source, name)

    monkeypatch.setattr(formatting, "format_python", recorded)
    return given


def test_black_is_given_the_fields_it_has_work_on_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    given = _black_recorded(monkeypatch)
    for statement in MEMBERWISE[:3]:
        black_form(_pre_formatted(statement), [])
    assert given and all(text.startswith("class _:\n") and text.count("\n") == 2 for text in given)
    given.clear()
    for statement in MEMBERWISE[3:]:
        black_form(_pre_formatted(statement), [])
    assert [text.startswith("class A") for text in given] == [True, True]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_black_form_is_what_black_writes(statement: str) -> None:
    statement = _pre_formatted(statement)  # as the models splitter gets them
    tree = ast.parse(statement).body[0]
    docstrings = []
    if isinstance(tree, ast.ClassDef) and isinstance(tree.body[0], ast.Expr):
        docstrings.append((ast.get_source_segment(statement, tree.body[0]) or "", "    "))
    assert black_form(statement, docstrings) == format_python(statement, "t.py")


_LONG = ("word " * 24).strip()
MODULES = [
    f'"""Doc."""\n\n\ndef f() -> None:\n    """{_LONG}\n\n    More.\n    """\n',  # a long docstring line is kept
    f'"""Doc."""\n\nX = "{_LONG}"\n',  # black wraps it in parentheses
    '"""Doc."""\n\nX = 1  \n',  # black strips the spaces
    '"""Doc\nmore."""\n',
    '"""Doc\n  more."""\n',
    f'"""Doc\n{_LONG}."""\n',  # black moves the closing quotes
    'class A:\n    """Doc\n  more."""\n',
    'if X:\n\n    def f() -> None:\n        """Doc\n    more."""\n',
    f'x = "caf\u00e9 {"w" * 60}"\n',  # black measures the width
    f'"""Doc."""\n\n# {_LONG}\n',  # black splits no comment
    f'"""Doc."""\n\nX = call(\n    name="{_LONG}",\n    other=1,\n)\n',  # nor a lone string
    f'"""Doc."""\n\nX_{"Y" * 90}: Mapping[\n    str\n] = {{}}\n',  # black lays this line out otherwise
    f'"""Doc."""\n\nX = call(name="{_LONG}", other=1)\n',  # but this call
    f'"""Doc\n\n{_LONG} end."""\n',  # the closing quotes go on a line of their own
    f'"""Doc."""\n\nfrom . import (\n    {"n" * 50} as {"n" * 50},\n    other as other,\n)\n',  # nor an alias
    # nor a call whose names alone make its lines too long, in parentheses or not (black's, in its statement)
    f'"""Doc."""\n\nif X:\n\n    class A:\n        def f(self) -> None:\n            self.{"n" * 90} = wrap(\n'
    f'                client.{"n" * 90}\n            )\n',
    # nor a dotted name alone, a string key and a name, a def's first line
    f'"""Doc."""\n\nX = (\n    module.{"n" * 60}.{"n" * 40},\n    other,\n)\nY = [\n    {"n" * 101}\n]\n',
    f'"""Doc."""\n\nX = {{\n    "{"k" * 60}": {"v" * 40},\n    "key": value,\n}}\n',
    f'"""Doc."""\n\n\nclass A:\n    async def {"n" * 100}(\n        self,\n    ) -> None:\n        pass\n',
    # but this one black puts in parentheses, where it fits
    f'"""Doc."""\n\nif X:\n\n    class A:\n        def f(self) -> None:\n            self.{"n" * 75} = raw_response(\n'
    f"                client.x\n            )\n",
]


# A group's client class, as the templates write it, with rows black has work on (``{}``): in a method's
# signature, its docstring, a decorated method, an async one; one row black keeps.
_CLIENT = (
    '"""Doc."""\n\n\nclass Client:\n    """Doc."""\n\n    def __init__(self) -> None:\n        self.x = 1\n\n'
    "    @property\n    def first(self) -> {}:\n        return 1\n\n"
    '    def second(self) -> None:\n        """Doc\n{}."""\n\n'
    "    async def third(self, a: {} | None = None) -> None:\n        pass\n\n"
    "    def fourth(self) -> None:\n        return call(\n            {}\n        )\n"
)
_UNION = " | ".join(f"models.{'Model' * 6}{status}" for status in (200, 201, 202))
_IN_FORM, _OUT_OF_FORM, _KEPT = "        more", "  more", "n" * 100
MODULES += [
    _CLIENT.format(_UNION, _IN_FORM, "int", _KEPT),
    _CLIENT.format("int", _IN_FORM, f"list[Literal[{', '.join(repr('v' * 20) for _ in range(5))}]]", _KEPT),
    _CLIENT.format(_UNION, _OUT_OF_FORM, _UNION, _KEPT),
    _CLIENT.format("int", _IN_FORM, "int", _KEPT) + f"\n\nX = {_UNION}\n",
]


@pytest.mark.parametrize("module", MODULES)
def test_a_rendered_module_is_written_as_black_writes_it(module: str) -> None:
    assert rendered_black_form(module, ast.parse(module)) == format_python(module, "t.py")


def test_a_long_line_black_cannot_split_needs_no_black(monkeypatch: pytest.MonkeyPatch) -> None:
    unsplittable = MODULES[0:1] + MODULES[9:11] + MODULES[14:19]
    given = _black_recorded(monkeypatch)
    assert [rendered_black_form(module, ast.parse(module)) for module in unsplittable] == unsplittable
    one_line = f'"""{_LONG}."""\n'  # its quotes stay
    assert rendered_black_form(one_line, ast.parse(one_line)) == one_line
    assert given == []
    for split_otherwise in (MODULES[12], MODULES[19]):
        assert rendered_black_form(split_otherwise, ast.parse(split_otherwise)) != split_otherwise


def test_black_is_given_the_methods_it_has_work_on_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    given = _black_recorded(monkeypatch)
    module = MODULES[-2]  # the first method's annotation, the second's docstring, the third's annotation
    rendered_black_form(module, ast.parse(module))
    assert [text.split("\n")[1] for text in given] == [
        "    async def third(self, a: " + _UNION + " | None = None) -> None:",
        "    def second(self) -> None:",
        "    @property",
    ]
    assert all(text.startswith("class _:\n") and "__init__" not in text and "fourth" not in text for text in given)
    given.clear()
    module = MODULES[-1]  # a long union outside the class: that statement alone
    rendered_black_form(module, ast.parse(module))
    assert given == [f"X = {_UNION}\n"]


def test_string_literals_are_written_with_the_quotes_black_picks() -> None:
    chance = random.Random(20261129)
    values = ["".join(chance.choice("'\"\\ab\n\u00e9") for _ in range(chance.randrange(0, 8))) for _ in range(2000)]
    for value in values:
        literal = python_literal(value)
        assert ast.literal_eval(literal) == value
        assert format_python(f"x = {literal}\n", "t.py") == f"x = {literal}\n", value


def _in_call(indent: int, line: str) -> str:
    """``line`` as an argument at ``indent`` of a call black keeps split (a magic trailing comma)."""
    opening = "".join(f"{' ' * level}def f{level}():\n" for level in range(0, indent - 4, 4))
    pad = " " * (indent - 4)
    return f"{opening}{pad}call(\n{' ' * indent}{line}\n{pad})\n"


@pytest.mark.parametrize("indent", [4, 8])
def test_literals_are_laid_out_as_black_lays_them_out(indent: int) -> None:
    for size in range(LINE_LENGTH - indent - 40, LINE_LENGTH - indent + 8, 3):
        word = "w" * max(1, size // 3)
        for value in ((word, word), ((word,), (word, "b")), [(word, word, word)], ("json", None)):
            text = _in_call(indent, literal_lines(indent, "security=", value, ","))
            assert format_python(text, "t.py") == text
        for count in (1, 3, 12):
            values = [python_literal(f"{word[: size // count]}{index}") for index in range(count)]
            text = _in_call(indent, frozenset_lines(indent, "required_headers=", values, ","))
            assert format_python(text, "t.py") == text


@pytest.mark.parametrize("count", [1, 2, 5])
def test_a_union_is_laid_out_as_black_lays_it_out(count: int) -> None:
    for size in range(10, 120, 3):
        members = [f"models.M{index}{'m' * (size // count)}" for index in range(count)]
        text = union_lines(0, "Payload: TypeAlias = ", members) + "\n"
        assert format_python(text, "t.py") == text


def test_the_runtime_copied_into_every_package_is_black_form() -> None:
    modules = {name: text.decode() for name, text in runtime_files("pkg").items()}
    assert [name for name, text in modules.items() if format_python(text, name) != text] == []


@pytest.mark.parametrize("awaited", ["", "await "])
def test_a_page_request_is_laid_out_as_black_lays_it_out(awaited: str) -> None:
    for size in range(40, 100):
        line = bracketed(12, f"_page = {awaited}self._request(", ["N" * size, "_pager.call"])
        text = f"async def f():\n    while True:\n        for x in y:\n            {line}\n"
        assert format_python(text, "t.py") == text


@pytest.mark.parametrize("awaited", ["", "await "])
def test_a_batch_run_is_laid_out_as_black_lays_it_out(awaited: str) -> None:
    for size in range(40, 100):
        line = bracketed(8, f"return {awaited}self._run_batches(", ["N" * size, "_send", "items", "_options"])
        text = f"async def f():\n    if x:\n        {line}\n"
        assert format_python(text, "t.py") == text


@pytest.mark.parametrize("rest", ["", " | None = None"])
def test_a_long_union_parameter_is_laid_out_as_black_lays_it_out(rest: str) -> None:
    for size in range(50, 130, 2):
        line = declaration_line(f"body: models.{'M' * size} | Mapping[str, Any]{rest}", 8)
        text = f"class C:\n    def f(\n        self,\n        *,\n        {line}\n    ) -> None:\n        pass\n"
        assert format_python(text, "t.py") == text, size


_QUOTED = [
    "X = 'a'\n",
    "X = 'a' 'b'\n",  # one constant of two literals
    "X = ('a'\n     'b')\n",  # over two lines
    "X = 'won\\'t'\n",  # an escaped quote: black's to requote
    "X = 'say \"hi\"'\n",
    "X = b'a'\n",
    "X = r'a'\n",
    "X = f'{y!r}' + 'z'\n",
    "X = '\u00e9t\u00e9' + 'b'\n",  # columns in bytes before a literal
    "class A(B):\n    x: Literal['a', \"b\"] = 'a'\n    '''After x.'''\n    model_config = ConfigDict(extra='allow')\n",
    "@decorator('a')\nclass A(B, metaclass=M['x']):\n    pass\n",
]


@pytest.mark.parametrize("source", _QUOTED)
def test_pre_format_requotes_the_literals_tokenize_finds(source: str) -> None:
    lines = formatting.physical_lines(source)
    for row, start, end in formatting._single_quoted_tokens(lines):
        lines[row - 1] = f'{lines[row - 1][:start]}"{lines[row - 1][start + 1 : end - 1]}"{lines[row - 1][end:]}'
    assert _pre_formatted(source) == "".join(lines)
    assert ast.dump(ast.parse(_pre_formatted(source))) == ast.dump(ast.parse(source))
