"""Venture Command Center domain layer.

Everything the product knows lives here: models, services (one function per use case, taking an
Actor), queries, jobs. It imports nothing from ``rxapp``; the web app, the JSON API, the CLI and
the notebooks all call into it.
"""
