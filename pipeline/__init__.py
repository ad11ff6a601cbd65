"""leaflet: undo spinner damage in health articles and publish them as leaflets.

The public API:

- :func:`clean` — text in, :class:`Cleaned` out (``.text`` and ``.changes``).
- :func:`replay` — reapply a recorded plan of changes to the original text.
"""

from __future__ import annotations

from pipeline.model import Change, Cleaned
from pipeline.normalise import CleanOptions, clean, replay

__version__ = "0.1.0"

__all__ = ["Change", "CleanOptions", "Cleaned", "__version__", "clean", "replay"]
