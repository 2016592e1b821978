"""The runtime of every generated client: plain Python, copied byte for byte into each package.

Each module of this folder is written into the generated package under its own name; the
modules import one another relatively and take the package's name from ``__package__``,
so the same text serves every package. What depends on the API's document is rendered
from ``templates/package``: a template that makes a file of the same name replaces the
module here, which then only stands in for it, so that this folder imports, type-checks
and can be tested as part of the generator. The stand-ins are this ``__init__``,
``errors`` (no declared statuses) and ``_spec`` (placeholder names, no security schemes).
The models are looked up by name at run time (``.models`` of ``__package__``).
"""
