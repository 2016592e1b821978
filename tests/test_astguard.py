"""The AST guard lets black reflow standalone strings, wherever statements hold them, and nothing else."""

from __future__ import annotations

import ast

import pytest

from generator.emit import astguard

# A standalone string in every kind of statement list: bodies, else branches, except and finally
# clauses, match cases; black re-indents each line of such a string.
MEANT = '''
class A:
    """Doc
       of A."""

    def f(self) -> None:
        """Doc of f
           indented."""
        if self:
            """in if"""
        else:
            """in else
               too."""
        for _ in ():
            pass
        else:
            """in for's else
               too."""
        try:
            """in try
               too."""
        except ValueError:
            """in except
               too."""
        finally:
            """in finally
               too."""
        match self:
            case _:
                """in a case
                   too."""


x: int = Field(description="spaced  text\\n   here")
'''


# A models module lists what it defines.
_EXPORTS = '__all__ = ["A", "x"]\n'


def _reflowed(text: str) -> str:
    return (
        text.replace("\n       ", "\n    ")
        .replace("\n           ", "\n        ")
        .replace("\n               ", "\n            ")
        .replace("\n                   ", "\n                ")
    )


def test_standalone_strings_in_any_statement_list_may_be_reflowed() -> None:
    written = _reflowed(MEANT)
    assert written.count("\n") == MEANT.count("\n") and written != MEANT
    astguard.check_formatted("m.py", MEANT, written)
    astguard.check_split(ast.parse(MEANT), {"m": written + _EXPORTS}, {"m": ["A", "x"]})


def test_other_strings_may_not_change() -> None:
    written = _reflowed(MEANT).replace("spaced  text\\n   here", "spaced text\\n here")
    with pytest.raises(astguard.UnsafeOutputError):
        astguard.check_formatted("m.py", MEANT, written)
    with pytest.raises(astguard.UnsafeOutputError):
        astguard.check_split(ast.parse(MEANT), {"m": written + _EXPORTS}, {"m": ["A", "x"]})


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ("from __future__ import annotations\nfrom typing import Annotated, Any", True),
        ("from pydantic import Field\nfrom pydantic.networks import AnyUrl", True),
        ("from pets._base_model import BaseModel\nfrom pets._files import FileInput", True),
        ("from os import PathLike", False),  # what x-python-type would import
        ("import antigravity", False),  # a module that runs when imported
        ("from other._base_model import BaseModel", False),  # another package's
        ("from .shared import Pet", False),
        ("class Pet:\n    from subprocess import Popen", False),  # anywhere in the module
        ("class Pet:\n    def f(self):\n        import os", False),
        ("try:\n    pass\nexcept Exception:\n    import os", False),
        ("match 1:\n    case 1:\n        if True:\n            pass\n        else:\n            import os", False),
        ("with open('x'):\n    for _ in ():\n        pass\n    else:\n        import os", False),
    ],
)
def test_the_models_import_only_what_models_are_made_of(source: str, allowed: bool) -> None:
    if allowed:
        astguard.check_model_imports(ast.parse(source), "pets")
    else:
        with pytest.raises(astguard.UnsafeOutputError, match=r"which no model is made of; nothing written$"):
            astguard.check_model_imports(ast.parse(source), "pets")


def test_a_model_whose_bases_python_cannot_order_stops_the_run() -> None:
    ordered = "class A(BaseModel): pass\nclass B(A): pass\nclass C(B, A): pass\n"
    astguard.check_class_orders(ast.parse(ordered))
    conflicting = ordered + "class D(A, B): pass\n"
    with pytest.raises(astguard.UnsafeOutputError, match="the model D has bases Python cannot order"):
        astguard.check_class_orders(ast.parse(conflicting))


@pytest.mark.parametrize(
    ("source", "hidden"),
    [
        # An operation ``uuid``'s constant beside the import its uuid parameters need.
        ("from uuid import UUID\nUUID = 1\n", "UUID both imported and defined"),
        # A method ``list`` or ``models`` before a signature that reads the builtin or the module.
        ("class C:\n    def list(self) -> None: ...\n    def b(self) -> list[int]: ...\n", "defines list"),
        (
            "from . import models\nclass C:\n    def models(self) -> None: ...\n    def b(self, x: models.P) -> None: ...\n",
            "defines models",
        ),
        # A class in a block or in another class: found without walking every expression.
        ("if X:\n    class C:\n        def str(self) -> None: ...\n        def b(self) -> str: ...\n", "defines str"),
        (
            "try:\n    pass\nexcept E:\n    class O:\n        class C:\n            set = 1\n            def b(self) -> set[int]: ...\n",
            "defines set",
        ),
    ],
)
def test_a_client_module_whose_names_hide_what_its_code_reads_stops_the_run(source: str, hidden: str) -> None:
    with pytest.raises(astguard.UnsafeOutputError, match=hidden):
        astguard.check_scopes("pkg/_endpoints/all.py", ast.parse(source))


def test_names_that_hide_nothing_pass() -> None:
    source = "import httpx\nfrom uuid import UUID\nX = 1\nclass C:\n    def a(self) -> UUID: ...\n    def b(self, x: httpx.Timeout) -> None: ...\n"
    astguard.check_scopes("pkg/_endpoints/all.py", ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        'class K:\n    a = "k\x1b[31m"\n    b = "k\u202e1"\n',  # a terminal's escape, a bidirectional override
        'class A:\n    """\n    Doc \u2066 x \u2028 y \x85 z\r\n    w\r    """\n',  # Python's line breaks, and others
        'p = r"^[a-z\u202e]*$"\n',  # raw: written anew
        'q = "\\\x1b"\n',  # an escape Python does not know: its backslash kept
    ],
)
@pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")  # the last source's, parsed
def test_display_unsafe_characters_become_escapes_meaning_the_same(source: str) -> None:
    from generator.literals import DISPLAY_UNSAFE, escaped_display_unsafe

    escaped = escaped_display_unsafe(source)
    assert DISPLAY_UNSAFE.search(escaped) is None
    assert ast.dump(ast.parse(escaped)) == ast.dump(ast.parse(source))
    astguard.check_displayable("m.py", escaped)
    with pytest.raises(astguard.UnsafeOutputError, match="would display otherwise than it runs"):
        astguard.check_displayable("m.py", source)
