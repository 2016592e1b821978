"""The order in which Python searches a class and its bases (C3), over the classes' names.

The models' bases come from ``allOf`` references; Python refuses a class whose bases' orders conflict
(``C(A, B)``, ``D(B, A)``, ``E(C, D)``), and the module that defines it fails to import. The normalizer
keeps to it; the guard holds the model generator's module to it.
"""

from __future__ import annotations

from collections import Counter


def c3_merge(orders: list[list[str]]) -> list[str] | None:
    """Python's merge of the method resolution orders of a class's bases and the list of its bases:
    the bases' part of the class's order, or ``None`` where Python refuses the class. In time of the
    orders' length by their number (a document's chain of thousands of classes is read once)."""
    lists = [order for order in orders if order]
    at = [0] * len(lists)
    tails = Counter(name for order in lists for name in order[1:])  # where a name may not come yet
    merged: list[str] = []
    while heads := [order[at[index]] for index, order in enumerate(lists) if at[index] < len(order)]:
        head = next((name for name in heads if not tails[name]), None)
        if head is None:
            return None
        merged.append(head)
        for index, order in enumerate(lists):
            if at[index] < len(order) and order[at[index]] == head:
                at[index] += 1
                if at[index] < len(order):
                    tails[order[at[index]]] -= 1
    return merged
