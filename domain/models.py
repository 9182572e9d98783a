"""Imports every table module so ``SQLModel.metadata`` is complete (Alembic, tests).

A vertical adds its ``models`` module here when it adds tables.
"""

from domain.access import models as access_models
from domain.briefing import models as briefing_models
from domain.events import models as events_models
from domain.freight import models as freight_models
from domain.jobs import models as jobs_models
from domain.observability import models as observability_models
from domain.org import models as org_models

__all__ = [
    "access_models",
    "briefing_models",
    "events_models",
    "freight_models",
    "jobs_models",
    "observability_models",
    "org_models",
]
