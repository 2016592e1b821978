"""File and folder names made of a document's names: the generator writes them, the test double reads them.

A module of its own, importing no HTTP library: the generator uses it too.
"""

from __future__ import annotations

import hashlib

#: The longest name of a file or folder made of a name of the document: file systems refuse names of over
#: 255 bytes, and Microsoft Graph's operations are up to 268 characters long.
LONGEST_FILE_STEM = 100


def file_stem(name: str) -> str:
    """The file or folder name made of ``name`` (an operation's fixtures folder, which the generator writes
    and the test double reads; a group's modules): ``name``, or where that is too long, its start and a
    digest of all of it."""
    if len(name) <= LONGEST_FILE_STEM:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    return f"{name[: LONGEST_FILE_STEM - len(digest) - 1]}_{digest}"
