"""Who reports: a body (a government or one of its departments) of a real place, named as reports
print it, with the canonical name, region and level the project's bureau registry gives it."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.parse import bureaus as registry

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Body:
    """A reporting body: its name as printed, the canonical name, region and level it should read as."""

    printed: str
    canonical: str
    region: str | None
    admin_level: str | None
    place: str  # the place's own name (洪泽区), used in the narrative
    domain: str  # what the body deals with (统计数据发布、统计调查), used in the narrative
    size: float  # scale of its figures: a city government gets many requests, a small office few
    slug: str


@dataclass(frozen=True)
class Department:
    name: str
    levels: tuple[str, ...]
    domain: str
    weight: int


@lru_cache(maxsize=1)
def departments() -> tuple[Department, ...]:
    """The departments (``departments.csv``): name, the levels that have one, domain, how common."""
    with (HERE / "departments.csv").open(encoding="utf-8") as fh:
        return tuple(
            Department(r["department"], tuple(r["level"].split("|")), r["domain"], int(r["weight"]))
            for r in csv.DictReader(fh)
        )


@lru_cache(maxsize=1)
def _places() -> tuple[list, list]:
    cities = [p for p in registry.places(1) if p.city]
    counties = [p for p in registry.places(2) if p.city and p.county]
    return cities, counties


def place_names() -> list[str]:
    """The names of every place a body may be drawn from (province, city, county)."""
    cities, counties = _places()
    return [p.region for p in cities + counties]


def pick_body(rng: random.Random, used: set[str]) -> Body:
    """A body not in ``used`` whose printed name the registry resolves to a region (else another)."""
    cities, counties = _places()
    deps = departments()
    while True:
        county = rng.random() < 0.6
        place = rng.choice(counties if county else cities)
        level = "county" if county else "city"
        qualified = place.qualified
        if rng.random() < 0.15:
            printed, domain, size = qualified + "人民政府", "政务公开、政策解读", 8.0 if county else 20.0
        else:
            options = [d for d in deps if level in d.levels]
            dep = rng.choices(options, weights=[d.weight for d in options])[0]
            printed, domain = qualified + dep.name, dep.domain
            size = dep.weight * (0.6 if county else 1.5)
        if printed in used:
            continue
        found = registry.identify(printed, context=printed)
        if found.source == "unresolved" or not found.region:
            continue
        used.add(printed)
        slug = f"b{len(used):05d}"
        return Body(printed, found.canonical, found.region, found.admin_level, place.name, domain, size, slug)
