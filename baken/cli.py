"""The ``baken`` console command: Django's management commands behind one name.

``baken migrate``, ``baken serve``, ``baken demo``, ``baken directory export`` …
``baken --version`` prints Baken's release (pyproject.toml, CHANGELOG.md), not Django's.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["--version"], ["-V"]):
        sys.stdout.write(f"baken {version('baken')}\n")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings")
    # Imported after the settings module is chosen, so that Django reads the right one.
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["baken", *args])
    except ImproperlyConfigured as exc:
        # A wrong setting stops start-up with a message that names it, not a traceback.
        sys.stderr.write(f"baken: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
