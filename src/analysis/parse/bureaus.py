"""Who reported: canonical bureau names, aliases, regions and admin levels.

A bureau's canonical name is qualified by its region so that it is the same every year
(洪泽区人民政府 → 淮安市洪泽区人民政府). Names resolve first through the registry (canonical,
aliases, region, admin_level): the ``bureaus.csv`` packaged beside this module, or the CSV that
$GOVREPORT_BUREAUS names instead (users extend the registry by copying the packaged one there and
adding rows), then through the cpca gazetteer of administrative divisions, plus a short table of
special areas that the gazetteer lacks (平潭综合实验区).
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PACKAGE_REGISTRY = Path(__file__).parent / "bureaus.csv"
REGISTRY_ENV = "GOVREPORT_BUREAUS"  # a path to a registry CSV (same columns) used instead of the packaged one
REGISTRY_COLUMNS = ("canonical", "aliases", "region", "admin_level")

# Areas the gazetteer (cpca, national adcodes) does not list, as (name, province, adcode, level).
# 平潭综合实验区 administers the former 平潭县 (adcode 350128) at prefecture level under 福建省.
SPECIAL_AREAS: tuple[tuple[str, str, str, str], ...] = (("平潭综合实验区", "福建省", "350128", "city"),)

# What a body's name ends with once its place is removed → is it the government of that place?
# (管委会 etc. are the governments of development zones and experimental areas.)
GOVERNMENT_SUFFIXES: tuple[str, ...] = (
    "",
    "人民政府",
    "政府",
    "管委会",
    "管理委员会",
    "党工委管委会",
    "党工委、管委会",
    "行政公署",
    "公署",
)
# canonical form of a government's suffix, by kind of place (zones keep their bare name)
GOVERNMENT_CANONICAL_SUFFIX = {"gazetteer": "人民政府", "special": ""}

# weight of a full division name (洛阳市) against a short form (洛阳) when counting places in a report
FULL_NAME_WEIGHT = 3

# admin level of a government by the rank of its place; county-rank places by their last character
LEVEL_BY_RANK = {0: "province", 1: "city"}
COUNTY_LEVEL_BY_SUFFIX = {"区": "district"}  # anything else at county rank (县, 旗, 县级市) → "county"
DEPARTMENT = "department"
# central bodies have no region: (name prefix, admin level)
NATIONAL_PREFIXES: tuple[str, ...] = ("国务院", "国家", "中华人民共和国", "中央")
NATIONAL = "national"

# gazetteer names that are placeholders, not places
_NOT_A_PLACE = ("市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划", "县")

# the level character a short form starts with instead of the place name ("市统计局", "区政府")
SHORT_FORM_PREFIXES = "省市区县旗州"


@dataclass(frozen=True)
class Place:
    """A place in the gazetteer: names by rank, its adcode and the rank of the place itself."""

    province: str | None
    city: str | None
    county: str | None
    adcode: str | None
    rank: int  # 0 province, 1 city (or special area at city level), 2 county
    special: bool = False

    @property
    def region(self) -> str:
        """Province / city / county in Chinese, e.g. 江苏省淮安市洪泽区."""
        return "".join(p for p in (self.province, self.city, self.county) if p)

    @property
    def name(self) -> str:
        """The place's own name (its lowest rank)."""
        return self.county or self.city or self.province or ""

    @property
    def qualified(self) -> str:
        """The name that is unique below the province: 淮安市洪泽区, 洛阳市, 河南省."""
        if self.rank == 2:  # a municipality's district: 北京市海淀区
            return (self.city or self.province or "") + (self.county or "")
        return self.city if self.rank == 1 and self.city else (self.province or "")


@dataclass(frozen=True)
class Bureau:
    """A reporting body: canonical name, the name as printed, region, level, and how it was found."""

    canonical: str
    as_printed: str
    region: str | None
    admin_level: str | None
    alias_matched: str | None = None  # the registry name that matched, None when not in the registry
    source: str = "gazetteer"  # registry, gazetteer, unresolved


@dataclass
class RegistryEntry:
    """One row of the registry CSV."""

    canonical: str
    aliases: tuple[str, ...]
    region: str | None
    admin_level: str | None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name and every alias."""
        return (self.canonical, *self.aliases)


@dataclass
class Registry:
    """The bureau registry: canonical names with their aliases, regions and levels."""

    entries: list[RegistryEntry] = field(default_factory=list)
    path: Path | None = None

    def __post_init__(self) -> None:
        self._by_name: dict[str, tuple[RegistryEntry, str]] = {}
        for entry in self.entries:
            for name in entry.names:
                self._by_name.setdefault(_norm(name), (entry, name))

    def match(self, name: str) -> tuple[RegistryEntry, str] | None:
        """The entry whose canonical name or alias equals ``name`` (ignoring spaces), with that name."""
        return self._by_name.get(_norm(name))


def registry_path() -> Path:
    """Which registry file is used: the file $GOVREPORT_BUREAUS names, else the packaged ``bureaus.csv``."""
    env = os.environ.get(REGISTRY_ENV)
    if env and Path(env).is_file():
        return Path(env)
    return PACKAGE_REGISTRY


def read_registry(path: str | Path) -> Registry:
    """Read a registry CSV (canonical, aliases separated by |, region, admin_level)."""
    path = Path(path)
    entries = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            canonical = (row.get("canonical") or "").strip()
            if not canonical or canonical.startswith("#"):
                continue
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
            entries.append(
                RegistryEntry(
                    canonical,
                    aliases,
                    (row.get("region") or "").strip() or None,
                    (row.get("admin_level") or "").strip() or None,
                )
            )
    return Registry(entries, path)


@lru_cache(maxsize=4)
def _registry_cached(path: str, mtime: float) -> Registry:
    return read_registry(path)


def load_registry(path: str | Path | None = None) -> Registry:
    """The registry at ``path`` or at :func:`registry_path` (re-read when the file changes)."""
    p = Path(path) if path else registry_path()
    return _registry_cached(str(p), p.stat().st_mtime)


# --------------------------------------------------------------------------- gazetteer


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, object], dict[str, list[object]]]:
    """cpca's divisions by 6-digit adcode, and by name (names repeat: 朝阳区, 鼓楼区 …)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports pkg_resources, which warns on import
        import cpca
    by_code: dict[str, object] = {}
    by_name: dict[str, list[object]] = {}
    for info in cpca.ad_2_addr_dict.values():
        by_code.setdefault(info.adcode, info)
        if info.name not in _NOT_A_PLACE:
            by_name.setdefault(info.name, []).append(info)
    return by_code, by_name


def _place_from_adcode(adcode: str) -> Place | None:
    by_code, _ = _gazetteer()
    info = by_code.get(adcode)
    if info is None:
        return None

    def name(code: str) -> str | None:
        i = by_code.get(code)
        return i.name if i is not None and i.name not in _NOT_A_PLACE else None

    province = name(adcode[:2] + "0000")
    city = name(adcode[:4] + "00") if info.rank >= 1 else None
    if city == province:
        city = None
    county = info.name if info.rank == 2 else None
    return Place(province, city, county, adcode, info.rank)


def short_names(full: str) -> list[str]:
    """A division's name and the short forms reports use (洛阳市 → 洛阳; 内蒙古自治区 → 内蒙古)."""
    out = [full]
    for suffix in ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            out.append(full[: -len(suffix)])
            break
    return out


@lru_cache(maxsize=1)
def _prefix_index() -> dict[str, list[tuple[str, object]]]:
    """Every division name and short form, by first character, longest first, for prefix matching."""
    _, by_name = _gazetteer()
    index: dict[str, list[tuple[str, object]]] = {}
    for full, infos in by_name.items():
        for short in short_names(full):
            for info in infos:
                index.setdefault(short[0], []).append((short, info))
    for items in index.values():
        items.sort(key=lambda t: -len(t[0]))
    return index


def _special(name: str) -> tuple[Place, str] | None:
    for area, province, adcode, _level in SPECIAL_AREAS:
        for form in (province + area, area):
            if name.startswith(form):
                return Place(province, area, None, adcode, 1, special=True), name[len(form) :]
    return None


def _context_counts(context: str) -> Counter:
    """How often each province / city (by adcode prefix) is named in the context text.

    A full name (洛阳市) weighs more than a short form (洛阳), which can be part of another word.
    """
    counts: Counter = Counter()
    if not context:
        return counts
    index = _prefix_index()
    i = 0
    while i < len(context):
        for short, info in index.get(context[i], ()):
            if context.startswith(short, i) and info.rank < 2:
                counts[info.adcode[: 2 * (info.rank + 1)]] += FULL_NAME_WEIGHT if short == info.name else 1
                i += len(short) - 1
                break
        i += 1
    return counts


def split_place(name: str, context: str = "") -> tuple[Place | None, str]:
    """Split a body's name into the place it starts with and the rest: 洪泽区人民政府 → (洪泽区, 人民政府).

    Reads province, city and county names in sequence (each short form allowed); a county name
    that several cities share is settled by the places named in ``context`` (e.g. the report's
    address line).
    """
    name = _norm(name)
    special = _special(name)
    if special:
        return special
    index = _prefix_index()
    pos, chain = 0, []  # chain of matched divisions, each inside the previous one
    while pos < len(name):
        found = None
        for short, info in index.get(name[pos], ()):
            if not name.startswith(short, pos):
                continue
            if chain and not (info.rank > chain[-1].rank and info.adcode.startswith(_prefix(chain[-1]))):
                continue
            if short == info.name or _short_ok(name, pos + len(short)):
                found = (short, info)
                break
        if not found:
            break
        pos += len(found[0])
        chain.append(found[1])
        # all same-named divisions of this rank: pick the one inside the chain or named in the context
        same = [i for i in _gazetteer()[1].get(found[1].name, []) if i.rank == found[1].rank]
        if len(chain) == 1 and len(same) > 1:
            counts = _context_counts(context)
            best = max(same, key=lambda i: max((counts.get(i.adcode[:k], 0) for k in (4, 2)), default=0))
            if max((counts.get(best.adcode[:k], 0) for k in (4, 2)), default=0) > 0:
                chain[-1] = best
            else:  # 朝阳区 of 北京 or of 长春? Nothing in the report says: better no region than a guess
                return None, name
        if chain[-1].rank == 2:
            break
    if not chain:
        return None, name
    return _place_from_adcode(chain[-1].adcode), name[pos:]


def _prefix(info: object) -> str:
    return info.adcode[: 2 * (info.rank + 1)]


def _short_ok(name: str, end: int) -> bool:
    """A short form (洛阳 for 洛阳市) counts only when a Han character follows (洛阳统计局, not 洛阳)."""
    return end < len(name) and "\u4e00" <= name[end] <= "\u9fff"


# --------------------------------------------------------------------------- bureaus


def _norm(name: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", name or "")


def _is_government(rest: str) -> bool:
    return rest in GOVERNMENT_SUFFIXES


def _level(place: Place, government: bool) -> str:
    if not government:
        return DEPARTMENT
    if place.special:
        return next((lvl for a, _p, _c, lvl in SPECIAL_AREAS if a == place.city), "city")
    if place.rank == 2:
        return COUNTY_LEVEL_BY_SUFFIX.get((place.county or "")[-1:], "county")
    return LEVEL_BY_RANK[place.rank]


def _level_from_name(name: str) -> str | None:
    """The level a name tells without a place: 朝阳区人民政府 is a district's, 某某局 a department."""
    for suffix in GOVERNMENT_SUFFIXES:
        if suffix and name.endswith(suffix) and len(name) > len(suffix):
            kind = name[: -len(suffix)][-1]
            return {"区": "district", "县": "county", "旗": "county", "省": "province"}.get(kind)
    return DEPARTMENT if re.search(r"[局委办厅署院所队站室中心会]$", name) else None


def _canonical(place: Place, rest: str, government: bool) -> str:
    if government:
        suffix = GOVERNMENT_CANONICAL_SUFFIX["special" if place.special else "gazetteer"]
        return place.qualified + suffix
    return place.qualified + rest


def identify(printed: str, context: str = "", registry: Registry | None = None) -> Bureau:
    """Canonical name, region and level of a body as printed (registry first, then the gazetteer).

    ``context`` is text from the same report (title, opening lines) used to settle short forms
    (市统计局) and county names that several cities share.
    """
    registry = registry or load_registry()
    printed_clean = _norm(printed)
    base = re.split(r"[（(]", printed_clean, maxsplit=1)[0] or printed_clean  # 管委会（平潭县人民政府）
    for candidate in dict.fromkeys((printed_clean, base)):
        hit = registry.match(candidate)
        if hit:
            entry, alias = hit
            return Bureau(entry.canonical, printed, entry.region, entry.admin_level, alias, "registry")
    place, rest = split_place(base, context)
    if place is None and base.startswith(NATIONAL_PREFIXES):
        return Bureau(base, printed, None, NATIONAL, None, "gazetteer")
    if place is None:
        qualified = qualify_short_form(base, context, registry)
        if qualified is not None:
            return Bureau(
                qualified.canonical,
                printed,
                qualified.region,
                qualified.admin_level,
                qualified.alias_matched,
                qualified.source,
            )
        return Bureau(base, printed, None, _level_from_name(base), None, "unresolved")
    government = _is_government(rest)
    canonical = _canonical(place, rest, government)
    hit = registry.match(canonical)
    if hit:
        entry, alias = hit
        return Bureau(entry.canonical, printed, entry.region, entry.admin_level, alias, "registry")
    return Bureau(canonical, printed, place.region, _level(place, government), None, "gazetteer")


def qualify_short_form(short: str, context: str, registry: Registry | None = None) -> Bureau | None:
    """Qualify a name without its place (市统计局, 区人民政府) by the place the context names most.

    The level prefix must fit the place: 市… needs a city, 区…/县… a county-rank place.
    """
    short = _norm(short)
    if len(short) < 2 or short[0] not in SHORT_FORM_PREFIXES:
        return None
    counts = _context_counts(context)
    if not counts:
        return None
    by_code, _ = _gazetteer()
    wanted = short[0]
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for prefix, _n in ranked:
        code = prefix.ljust(6, "0")
        place = _place_from_adcode(code)
        if place is None or not place.name.endswith(wanted) and wanted not in ("州",):
            continue
        full = place.name + short[1:]
        bureau = identify(full, context, registry)
        if bureau.source != "unresolved":
            return bureau
    return None


def places(rank: int) -> list[Place]:
    """Every division of the gazetteer at ``rank`` (0 province, 1 city, 2 county), in adcode order."""
    by_code, _ = _gazetteer()
    out = []
    for code in sorted(by_code):
        info = by_code[code]
        if info.rank == rank and info.name not in _NOT_A_PLACE:
            place = _place_from_adcode(code)
            if place is not None:
                out.append(place)
    return out
