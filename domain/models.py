"""Imports every table module so ``SQLModel.metadata`` is complete (Alembic, tests).

A vertical adds its ``models`` module here when it adds tables.
"""

from domain.access import models as access_models
from domain.org import models as org_models

__all__ = ["access_models", "org_models"]
