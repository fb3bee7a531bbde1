#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocreate.settings")
    if not os.environ.get("SECRET_KEY"):
        # A developer's shell: no production secret, so development settings. Production always sets
        # SECRET_KEY, and the web server (cocreate/wsgi.py) never falls back like this.
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
