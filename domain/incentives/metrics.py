"""The metric registry: every metric a rule may use, gathered from the wings' manifests.

Each wing declares its metric sources (``domain.verticals.MetricSource``) in its manifest:
freight today; operations, hospitality and BPO add theirs when they land. This module knows no
wing. A rule naming a key that is not here is refused when it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from domain.errors import Invalid
from domain.verticals import Metric, MetricSource, metric_sources


@dataclass(frozen=True)
class RegisteredMetric:
    metric: Metric
    source: MetricSource

    @property
    def key(self) -> str:
        return self.metric.key

    @property
    def label(self) -> str:
        return self.metric.label

    @property
    def is_money(self) -> bool:
        return self.metric.is_money

    @property
    def vertical(self) -> str:
        return self.source.vertical


@cache
def registry() -> dict[str, RegisteredMetric]:
    out: dict[str, RegisteredMetric] = {}
    for source in metric_sources():
        for m in source.metrics:
            if m.key in out:
                raise RuntimeError(f"metric {m.key} is declared twice")
            out[m.key] = RegisteredMetric(m, source)
    return out


def metric(key: str, field: str = "metric_key") -> RegisteredMetric:
    """The registered metric ``key``; ``Invalid`` naming ``field`` when there is none."""
    found = registry().get(key)
    if found is None:
        known = ", ".join(sorted(registry())) or "none yet"
        raise Invalid.field(field, f"unknown metric {key!r} (known: {known})")
    return found


def all_metrics() -> list[RegisteredMetric]:
    return [registry()[k] for k in sorted(registry())]
