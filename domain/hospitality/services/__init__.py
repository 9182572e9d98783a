"""Hospitality use cases, split by aggregate. Each: validate -> authorize (scope) -> change ->
record events -> audit, in the caller's unit of work (one transaction); handlers run after it
commits."""

from __future__ import annotations

from domain.hospitality.services.disputes import create_dispute, resolve_dispute, update_dispute
from domain.hospitality.services.hotels import create_hotel, update_hotel
from domain.hospitality.services.kpi import kpi_template, upload_hotel_kpi_csv, upsert_hotel_kpi
from domain.hospitality.services.reviews import create_review, respond_to_review

__all__ = [
    "create_dispute",
    "create_hotel",
    "create_review",
    "kpi_template",
    "resolve_dispute",
    "respond_to_review",
    "update_dispute",
    "update_hotel",
    "upload_hotel_kpi_csv",
    "upsert_hotel_kpi",
]
