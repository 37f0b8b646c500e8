"""The HTML report in a real browser: Debian's headless chromium renders it, we keep a
screenshot (test-artifacts/report.png) and check the rendered DOM for the key elements.

Needs /usr/bin/chromium (`apt-get install -y chromium`); skipped with the reason otherwise.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from claimx.ledger import build_ledger
from claimx.report import render_report, write_report
from ledger_cases import ROOT, build_records, load_case

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed at /usr/bin/chromium "
                                "(apt-get install -y chromium chromium-driver)")


def _chromium(*args: str, timeout: int = 40) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="claimx-chromium-") as profile:
        cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--window-size=1280,1600", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    case = load_case("seeds-bukamal.yaml")
    records, _ = build_records(case)
    props = build_ledger(records, gazetteer=case["gazetteer"])
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(render_report(props), path)
    return path, props


@pytest.fixture(scope="module")
def dom(report_page):
    path, _ = report_page
    r = _chromium("--dump-dom", path.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def test_report_browser_screenshot(report_page):
    path, _ = report_page
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    r = _chromium(f"--screenshot={shot}", path.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, "screenshot missing or blank"
    shutil.copy(path, ARTIFACTS / "report.html")


def test_report_browser_dom_is_rtl_arabic(dom):
    assert re.search(r'<html[^>]*lang="ar"[^>]*dir="rtl"', dom) or re.search(r'<html[^>]*dir="rtl"[^>]*lang="ar"', dom)
    assert "سجل الادعاءات" in dom


def test_report_browser_dom_has_every_proposition_and_claim(dom, report_page):
    _, props = report_page
    for p in props:
        assert f'id="{p["id"]}"' in dom
        assert f'data-status="{p["status"]}"' in dom
        for c in p["asserting"] + p["denying"]:
            assert f'id="c-{c["id"]}"' in dom


def test_report_browser_dom_highlights_evidence_and_sources(dom):
    # the contested regime-control proposition, its sides, alignments and highlighted evidence
    assert 'data-status="contested"' in dom
    assert dom.count('class="side asserting"') >= 1 and dom.count('class="side denying"') >= 1
    assert 'class="hl cue"' in dom and 'class="hl content' in dom and 'class="hl source"' in dom
    assert 'class="align state"' in dom and 'class="independent"' in dom
    assert "نفت" in dom and "يرد على" in dom  # a denial linked to the claims it targets


def test_report_browser_page_loads_nothing_from_the_network(report_page):
    html = report_page[0].read_text("utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "@import" not in html and "url(" not in html
