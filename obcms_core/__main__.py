"""`python -m obcms_core ...` runs the command-line interface."""

from obcms_core.cli import main

raise SystemExit(main())
