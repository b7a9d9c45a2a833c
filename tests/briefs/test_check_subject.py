"""A brief's subject is checked on its own slice of the store; the whole reports table only to explain an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import store
from analysis.briefs import run
from analysis.views import ParameterError


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    calls: list[dict] = []
    real = store.load_tables

    def load_tables(*args: object, **kwargs: object):  # noqa: ANN202
        calls.append({k: v for k, v in kwargs.items() if k != "tables"})
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "load_tables", load_tables)
    return calls


def test_a_known_subject_reads_only_its_reports(clean_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _recording(monkeypatch)
    run.check_subject(clean_dir, bureau="洛阳市统计局", region=None, year=2020)
    run.check_subject(clean_dir, bureau=None, region="淮安市", year=2024)
    assert calls == [{"bureaus": ["洛阳市统计局"]}, {"regions": ["淮安市"]}]


def test_an_unknown_subject_is_explained_with_the_whole_store(
    clean_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _recording(monkeypatch)
    with pytest.raises(ParameterError, match="did you mean 洛阳市统计局"):
        run.check_subject(clean_dir, bureau="洛阳统计局", region=None, year=2020)
    with pytest.raises(
        ParameterError, match=r"no report for 洛阳市统计局 in 2021 \(years with a report: 2020\)"
    ):
        run.check_subject(clean_dir, bureau="洛阳市统计局", region=None, year=2021)
    assert calls == [{"bureaus": ["洛阳统计局"]}, {}, {"bureaus": ["洛阳市统计局"]}, {}]
