"""The same ingest on a Dask cluster (a LocalCluster of two worker processes) gives the tables of a
local run: every table, sorted, equal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(list(df.columns), kind="stable", na_position="last").reset_index(drop=True)


def test_a_dask_cluster_gives_the_tables_of_a_local_run(clean_dir: Path, tmp_path: Path) -> None:
    from analysis.ingest import find_reports, ingest_folder
    from analysis.store import load_all

    out = tmp_path / "clean"
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.nthreads()) == 2
        # given as a file:// URL: the workers see the same paths (on a real cluster: shared storage)
        summary = ingest_folder(
            f"file://{ROOT / 'data' / 'raw'}", out, progress=False, scheduler=cluster.scheduler_address
        )
        assert client.run(lambda: True).keys() == client.nthreads().keys()  # both workers still there
    assert len(summary.statuses) == len(find_reports(ROOT / "data" / "raw")) and not summary.failures
    local, dist = load_all(clean_dir), load_all(out)
    assert set(local) == set(dist)
    for table, df in local.items():
        assert len(df) == len(dist[table]), table
        pd.testing.assert_frame_equal(_sorted(df), _sorted(dist[table]), obj=table)
