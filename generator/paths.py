"""Where the generator's own data lives (kept import-light for the fast ``--check``)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The runtime modules, copied as they are into every generated package.
RUNTIME_DIR = PACKAGE_DIR / "runtime"
# Installed from a wheel, the templates and the default spec sit inside the
# package; in a source checkout they are beside it.
DATA_ROOT = PACKAGE_DIR if (PACKAGE_DIR / "templates").is_dir() else PACKAGE_DIR.parent
TEMPLATE_DIR = DATA_ROOT / "templates"
DEFAULT_SPEC = DATA_ROOT / "specs" / "stackone-lms.yaml"
