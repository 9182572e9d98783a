"""Imports every table module so ``SQLModel.metadata`` is complete (Alembic, tests).

The shared packages' tables are listed here; each wing's come from its manifest
(``Vertical.models_module``), so a new wing changes nothing in this file.
"""

import importlib

from domain.access import models as access_models
from domain.briefing import models as briefing_models
from domain.events import models as events_models
from domain.jobs import models as jobs_models
from domain.observability import models as observability_models
from domain.org import models as org_models
from domain.verticals import verticals

for _wing in verticals():
    importlib.import_module(_wing.models_module)

__all__ = [
    "access_models",
    "briefing_models",
    "events_models",
    "jobs_models",
    "observability_models",
    "org_models",
]
