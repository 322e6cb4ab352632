"""A map of evaluated municipalities: shipped boundaries (``data/``, made by ``build.py``),
the latest totals within one version (``selectors.py``) and the SVG drawn from them
(``choropleth.py``)."""
