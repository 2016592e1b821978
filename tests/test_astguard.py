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
