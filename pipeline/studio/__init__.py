"""The studio: ``leaflet serve``, a local web page to make leaflets and review repairs.

- :mod:`.command` — serving the studio (``leaflet serve``): its settings, the port, Ctrl-C.
- :mod:`.app` — the web app (Starlette): thin views over the library.
- :mod:`.articles` — the articles it works on (a folder's, pasted ones) and what it
  makes of them, cached per version.
- :mod:`.kept` — articles pasted or uploaded: kept under a name made from their bytes,
  shown by the user's file name (made safe) or their title.
- :mod:`.marking` — the review's text with every change marked in place.
- :mod:`.review_page` — the same review as a static page, for ``leaflet build``.
- :mod:`.folder` — the folder view's rows, sorting and filters.
- :mod:`.settings` — the settings form over ``leaflet.toml``.
- :mod:`.security` — paths, CSRF, body limits and security headers.

Nothing is imported here, so the build can use :mod:`.review_page` without loading the
web stack, and the command line can read :data:`MAX_UPLOAD` without loading the studio.
"""

MAX_UPLOAD = 10_000_000
"""The largest article the studio takes by default, in bytes (pasted, uploaded or in the
folder); ``leaflet serve --max-size`` changes it."""
