"""Server-rendered pages over the store: Jinja2 templates, one stylesheet, charts as inline SVG."""
