"""``python -m pipeline`` is the ``leaflet`` command."""

from pipeline.cli import main

if __name__ == "__main__":  # not when a worker process imports this module again
    raise SystemExit(main())
