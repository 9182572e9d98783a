"""The JSON API (/api/v1): thin routes over the domain services, mounted on the Reflex backend.

Mount it with ``rx.App(api_transformer=api)`` (``from rxapp.api import api``). Authentication
rules: ``rxapp.api.deps``; error model: ``rxapp.api.errors``; OpenAPI at /api/v1/openapi.json.
Every route opens one unit of work (read-only for GETs), calls one domain service with the
Actor, and returns its ``View``: no SQL and no permission logic here.

The current user comes from a dependency (``deps.CurrentActor``); the unit of work is opened in
the route body rather than by a yield dependency, so the commit happens before the response is
built: a failed commit becomes an error answer, never a 2xx for data that was not saved.
"""

from rxapp.api.app import api, create_api, mount_api

__all__ = ["api", "create_api", "mount_api"]
