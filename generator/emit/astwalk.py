"""Every node of a syntax tree, walked fast.

``ast.walk`` keeps an order (breadth first, through two generators a node) that nothing here needs,
and takes twice as long on a large models module (GitHub's 450,000 nodes: 0.3 s against 0.15 s); the
splitter and the pre-formatter walk every statement of one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and every node below it, in no promised order."""
    stack: list[Any] = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, ast.AST):
            continue  # a name in a list (``global a, b``), or a ``None`` in one (a dict's ``**`` item)
        yield current
        for field in current._fields:
            value = getattr(current, field, None)
            if isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, ast.AST):
                stack.append(value)
