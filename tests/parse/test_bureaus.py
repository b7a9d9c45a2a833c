"""Bureau registry and gazetteer: canonical names, aliases, regions, levels, short forms."""

from __future__ import annotations

import csv

import pytest

from analysis.parse import bureaus


def test_the_packaged_registry_is_used_by_default(monkeypatch):
    """Without $GOVREPORT_BUREAUS the registry is the CSV shipped in the package (a plain wheel has it)."""
    monkeypatch.delenv(bureaus.REGISTRY_ENV, raising=False)
    assert bureaus.registry_path() == bureaus.PACKAGE_REGISTRY
    assert bureaus.load_registry().path == bureaus.PACKAGE_REGISTRY
    b = bureaus.identify("平潭综合实验区管委会")
    assert (b.canonical, b.alias_matched, b.source) == ("平潭综合实验区", "平潭综合实验区管委会", "registry")


def test_registry_columns_and_unique_names():
    with bureaus.PACKAGE_REGISTRY.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == bureaus.REGISTRY_COLUMNS
        names = []
        for row in reader:
            names += [row["canonical"], *[a for a in row["aliases"].split("|") if a]]
    assert len(names) == len(set(names)), "an alias must name one body only"


@pytest.mark.parametrize(
    "entry", bureaus.load_registry(bureaus.PACKAGE_REGISTRY).entries, ids=lambda e: e.canonical
)
def test_registry_agrees_with_gazetteer(entry):
    """Every registry row's region and level are what the gazetteer derives from its canonical name."""
    registry = bureaus.Registry([])  # gazetteer only
    derived = bureaus.identify(entry.canonical, registry=registry)
    assert (derived.canonical, derived.region, derived.admin_level) == (
        entry.canonical,
        entry.region,
        entry.admin_level,
    )


@pytest.mark.parametrize(
    ("printed", "canonical", "region", "level", "alias"),
    [
        ("洛阳市统计局", "洛阳市统计局", "河南省洛阳市", "department", "洛阳市统计局"),
        ("洪泽区人民政府", "淮安市洪泽区人民政府", "江苏省淮安市洪泽区", "district", "洪泽区人民政府"),
        (
            "淮安市洪泽区人民政府",
            "淮安市洪泽区人民政府",
            "江苏省淮安市洪泽区",
            "district",
            "淮安市洪泽区人民政府",
        ),
        ("淮安市人民政府", "淮安市人民政府", "江苏省淮安市", "city", "淮安市人民政府"),
        ("平潭综合实验区管委会", "平潭综合实验区", "福建省平潭综合实验区", "city", "平潭综合实验区管委会"),
        ("平潭综合实验区", "平潭综合实验区", "福建省平潭综合实验区", "city", "平潭综合实验区"),
        ("平潭县人民政府", "福州市平潭县人民政府", "福建省福州市平潭县", "county", "平潭县人民政府"),
        (
            "平潭综合实验区地方税务局",
            "平潭综合实验区地方税务局",
            "福建省平潭综合实验区",
            "department",
            "平潭综合实验区地方税务局",
        ),
        (
            "平潭综合实验区管委会（平潭县人民政府）",
            "平潭综合实验区",
            "福建省平潭综合实验区",
            "city",
            "平潭综合实验区管委会",
        ),
    ],
)
def test_identify_registry(printed, canonical, region, level, alias):
    b = bureaus.identify(printed)
    assert (b.canonical, b.region, b.admin_level, b.alias_matched, b.as_printed) == (
        canonical,
        region,
        level,
        alias,
        printed,
    )


@pytest.mark.parametrize(
    ("printed", "context", "canonical", "region", "level"),
    [
        ("洪泽区统计局", "", "淮安市洪泽区统计局", "江苏省淮安市洪泽区", "department"),
        ("洪泽区政府", "", "淮安市洪泽区人民政府", "江苏省淮安市洪泽区", "district"),
        ("河南省统计局", "", "河南省统计局", "河南省", "department"),
        ("北京市海淀区教育委员会", "", "北京市海淀区教育委员会", "北京市海淀区", "department"),
        (
            "平潭综合实验区交通与建设局",
            "",
            "平潭综合实验区交通与建设局",
            "福建省平潭综合实验区",
            "department",
        ),
        # a county name several cities share is settled by the places the report names
        ("朝阳区人民政府", "地址：北京市朝阳区日坛北路", "北京市朝阳区人民政府", "北京市朝阳区", "district"),
        (
            "朝阳区人民政府",
            "长春市朝阳区人民政府办公室",
            "长春市朝阳区人民政府",
            "吉林省长春市朝阳区",
            "district",
        ),
        # a short form without its place, qualified by the place the report names most
        ("市统计局", "通过洛阳统计信息网发布；洛阳市委市政府", "洛阳市统计局", "河南省洛阳市", "department"),
    ],
)
def test_identify_gazetteer(printed, context, canonical, region, level):
    b = bureaus.identify(printed, context, registry=bureaus.Registry([]))
    assert (b.canonical, b.region, b.admin_level) == (canonical, region, level)
    assert b.alias_matched is None


def test_gazetteer_special_area_and_historical_county():
    """cpca lacks 平潭综合实验区 (a special area under 福建省); the old 平潭县 is under 福州市."""
    zone, rest = bureaus.split_place("平潭综合实验区")
    assert (zone.region, zone.rank, zone.special, rest) == ("福建省平潭综合实验区", 1, True, "")
    county, rest = bureaus.split_place("平潭县人民政府")
    assert (county.region, county.adcode, county.rank, rest) == (
        "福建省福州市平潭县",
        "350128",
        2,
        "人民政府",
    )
    place, rest = bureaus.split_place("洛阳市统计局")
    assert (place.region, rest) == ("河南省洛阳市", "统计局")
    assert bureaus.split_place("国家统计局") == (None, "国家统计局")


def test_unknown_body_is_unresolved_not_guessed():
    b = bureaus.identify("某某委员会", registry=bureaus.Registry([]))
    assert (b.canonical, b.region, b.admin_level, b.source) == (
        "某某委员会",
        None,
        "department",
        "unresolved",
    )
    assert bureaus.identify("国家统计局").admin_level == "national"


def test_users_extend_the_registry(tmp_path, monkeypatch):
    """A registry named by $GOVREPORT_BUREAUS is used; its aliases and regions win over the gazetteer."""
    path = tmp_path / "bureaus.csv"
    path.write_text(
        bureaus.PACKAGE_REGISTRY.read_text(encoding="utf-8")
        + "洛阳市人民政府,洛阳市政府|市政府办公室（洛阳）,河南省洛阳市,city\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(bureaus.REGISTRY_ENV, str(path))
    assert bureaus.registry_path() == path
    b = bureaus.identify("洛阳市政府")
    assert (b.canonical, b.alias_matched, b.source) == ("洛阳市人民政府", "洛阳市政府", "registry")
    assert bureaus.identify("洪泽区人民政府").canonical == "淮安市洪泽区人民政府"


def test_the_registry_govreport_bureaus_names_replaces_the_packaged_one(tmp_path, monkeypatch):
    """$GOVREPORT_BUREAUS is the whole registry, not an addition: rows it lacks resolve by the gazetteer."""
    path = tmp_path / "bureaus.csv"
    path.write_text(
        ",".join(bureaus.REGISTRY_COLUMNS) + "\n淮安市人民政府,淮安市政府,江苏省淮安市,city\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(bureaus.REGISTRY_ENV, str(path))
    assert [e.canonical for e in bureaus.load_registry().entries] == ["淮安市人民政府"]
    b = bureaus.identify("淮安市政府")
    assert (b.canonical, b.alias_matched, b.source) == ("淮安市人民政府", "淮安市政府", "registry")
    b = bureaus.identify("平潭综合实验区管委会")  # a packaged row, absent here
    assert (b.canonical, b.region, b.alias_matched, b.source) == (
        "平潭综合实验区",
        "福建省平潭综合实验区",
        None,
        "gazetteer",
    )


def test_shared_county_name_without_context_is_not_guessed():
    """朝阳区 is in 北京 and in 长春: with nothing in the report to tell, no region rather than a guess."""
    b = bureaus.identify("朝阳区人民政府", context="")
    assert (b.canonical, b.region, b.admin_level) == ("朝阳区人民政府", None, "district")  # the name says so
    b = bureaus.identify("鼓楼区人民政府", context="在南京市委市政府的领导下，鼓楼区认真落实")
    assert (b.canonical, b.region) == ("南京市鼓楼区人民政府", "江苏省南京市鼓楼区")
