"""brief.html and index.html in headless Chromium with the network cut off: Chinese (lang zh-CN), the key
figures visible, no console error (a script or style fetched from the network would fail and log one),
and the index sorts by a clicked column. Needs Debian's chromium + chromium-driver (.ci/run installs them)
and selenium; skipped only where they are missing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.briefs import files
from analysis.briefs.index import write_index

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="chromium and chromium-driver not installed"
)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--proxy-server=127.0.0.1:9",  # offline: any request to the network fails (and is logged)
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=1366,2000",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, path: Path) -> list[dict]:  # noqa: ANN001
    """Load a file and return what the console logged while doing so."""
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(path.resolve().as_uri())
    return browser.get_log("browser")


def visible_texts(browser, text: str) -> list[str]:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    found = browser.find_elements(By.XPATH, f"//*[contains(text(), '{text}')]")
    return [e.text for e in found if e.is_displayed()]


def test_the_brief_renders_offline_in_chinese(browser, huaian: files.BriefResult) -> None:  # noqa: ANN001
    logged = open_page(browser, Path(huaian.out_dir) / "brief.html")
    assert [e for e in logged if e["level"] in ("SEVERE", "WARNING")] == []
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    assert browser.execute_script("return document.scripts.length") == 0
    assert "2024年共收到政府信息公开申请3119件。" in visible_texts(browser, "3119件")
    assert visible_texts(browser, "3,050件") or visible_texts(browser, "3050件")  # 办结总计 in the table
    images = browser.execute_script(
        "return [...document.images].filter(i => i.complete && i.naturalWidth > 800).length"
    )
    assert images >= 4  # the charts are embedded and load without a network


def test_the_index_lists_key_figures_and_sorts_offline(
    browser, huaian: files.BriefResult, tmp_path: Path
) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    out = Path(huaian.out_dir).parents[1]
    failed = files.BriefResult(
        name="甲局",
        year=2023,
        kind="bureau",
        status="failed",
        out_dir=str(out / "甲局" / "2023"),
        error="boom",
    )
    index = write_index(out, [huaian, failed])
    logged = open_page(browser, index)
    assert [e for e in logged if e["level"] in ("SEVERE", "WARNING")] == []
    assert browser.execute_script("return document.documentElement.lang") == "zh-CN"
    assert visible_texts(browser, "3119件") and visible_texts(browser, "59.5%")
    assert visible_texts(browser, "数据质量提示")

    def names() -> list[str]:
        rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr")
        return [r.find_elements(By.TAG_NAME, "td")[0].text for r in rows]

    assert names() == ["甲局", "淮安市人民政府"]  # by year, then name
    year = browser.find_element(By.XPATH, "//th[text()='年度']")
    year.click()
    assert names() == ["甲局", "淮安市人民政府"]  # ascending
    year.click()
    assert names() == ["淮安市人民政府", "甲局"]  # descending
    assert browser.get_log("browser") == []
