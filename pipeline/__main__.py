"""``python -m pipeline`` is the ``leaflet`` command."""

from pipeline.cli import main

raise SystemExit(main())
