"""`segdsl report`: the numbers it gathers (hand-worked, tests/analysis/fixture.py), a file
that needs no network, and a real headless Chromium rendering it without console errors.

Chromium: Debian's `chromium` package. Missing, the browser test is skipped, except under
CI or SEGDSL_REQUIRE_ENGINES=1 (what `make test` sets), where it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.analysis.fixture import AS_OF, invoke, load, project_dir, warehouse  # noqa: F401

SIZES = {"pros": 5, "northerners": 3, "big_spenders": 4, "young": 4, "spenders": 4}
# default attributes: the three enumerations, in schema order; values in declared order,
# then missing. Members per value for pros {1,2,4,7,10} and young {1,4,6,11}.
BREAKDOWNS = {
    "region": (["North", "South", "East", "West", None], [3, 3, 3, 2, 1],
               {"pros": [2, 1, 1, 1, 0], "young": [1, 2, 0, 1, 0]}),
    "plan": (["free", "pro"], [7, 5], {"pros": [0, 5], "young": [2, 2]}),
    "gender": (["f", "m", None], [6, 5, 1], {"pros": [2, 3, 0], "young": [3, 1, 0]}),
}


def test_gathered_numbers(project_dir, warehouse):
    from segdsl.analysis.report import gather

    project = load(project_dir)
    snap = invoke("snapshot", project_dir, "-s", "young", "--as-of", "2024-01-01", *warehouse.args)
    assert snap.exit_code == 0, snap.output
    invoke("snapshot", project_dir, "-s", "young", "-s", "pros", "--as-of", AS_OF, *warehouse.args)
    with warehouse.connect() as conn:
        data = gather(conn, project, project.segment_names(), as_of=AS_OF, warehouse="w")
    assert data.total == 12
    assert {s.name: s.size for s in data.segments} == SIZES
    assert data.overlap.count("pros", "big_spenders") == 4
    assert [b.attribute for b in data.breakdowns] == list(BREAKDOWNS)
    for b in data.breakdowns:
        values, population, members = BREAKDOWNS[b.attribute]
        assert (b.values, b.population) == (values, population)
        for name, counts in members.items():
            assert b.members[name] == counts, (b.attribute, name)
    # young as of 2024-01-01 is the same four (ages do not move); ids 1, then 2 and 3
    assert data.history == {"young": [(1, AS_OF.replace(year=2024, month=1, day=1), 4), (2, AS_OF, 4)],
                            "pros": [(3, AS_OF, 5)]}
    pros = data.segments[0]
    assert (pros.title, pros.description, pros.owner, pros.tags) == (
        "Pro plan", "Customers on the pro plan", "crm@example.com", ("plan",))
    assert pros.sql.startswith("SELECT") or pros.sql.startswith("WITH")


class _Page(HTMLParser):
    """Tags and attributes of a page, to look for anything that would need the network."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _report(project_dir: Path, warehouse, tmp_path: Path) -> tuple[Path, str]:
    """Write the report with the CLI; (path, text)."""
    out = tmp_path / "report.html"
    result = invoke("report", project_dir, "--out", out, "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 5 segments, 12 customers, as of 2024-06-30" in result.stdout
    return out, out.read_text(encoding="utf-8")


def test_file_is_self_contained_and_escaped(project_dir, warehouse, tmp_path):
    seg = project_dir / "segments.seg"
    seg.write_text(seg.read_text().replace('"Customers on the pro plan"',
                                           '"<script>alert(1)</script> & more"'))
    _, html = _report(project_dir, warehouse, tmp_path)
    page = _Page()
    page.feed(html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        assert not (tag == "script" and "src" in attrs)
        for name, value in attrs.items():
            if name in ("src", "href") and value:
                assert value.startswith("#"), (tag, name, value)
    # the only URL is the SVG namespace, which is a name, not a fetch
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>alert(1)" not in html
    assert html.count('<article class="card"') == 5
    assert "No snapshots yet" in html


def test_cards_name_each_segment_once(project_dir, warehouse, tmp_path):
    _, html = _report(project_dir, warehouse, tmp_path)
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert '<h3>Pro plan <code class="name">pros</code></h3>' in html  # a title, then the name
    assert "<code>northerners</code>" in headings  # no title: the name alone, not twice
    assert not any(h.startswith("northerners") for h in headings)


def test_output_is_checked_before_any_query(project_dir, warehouse, tmp_path, monkeypatch):
    import segdsl.analysis.report as report

    def no_query(*args, **kwargs):
        raise AssertionError("a query ran")

    monkeypatch.setattr(report, "gather", no_query)
    out = tmp_path / "r.html"
    out.write_text("keep me")
    for args, message in ((["--output", out], "exists; pass --force to overwrite it"),
                          (["--output", tmp_path / "no" / "r.html"], "no folder"),
                          (["--output", tmp_path], "is a folder")):
        result = invoke("report", project_dir, *args, "--as-of", AS_OF, *warehouse.args)
        assert result.exit_code == 2 and message in result.stderr, result.output
    assert out.read_text() == "keep me"
    monkeypatch.undo()
    result = invoke("report", project_dir, "--output", out, "--force", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_plain_english_explanations(project_dir, warehouse, tmp_path):
    """A sentence from segdsl.explain, or an outline for nested logic."""
    (project_dir / "mixed.seg").write_text('segment mixed where (plan = "pro" or vip) and region = "North"\n')
    out = tmp_path / "r.html"
    result = invoke("report", project_dir, "--out", out, "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count('<div class="explain">') == 6
    assert "<p>Customers whose plan is &quot;pro&quot;.</p>" in html
    assert ("<p>Customers who meet all of these conditions:</p><ul><li>who meet at least one of these:"
            "<ul><li>whose plan is &quot;pro&quot;</li>") in html


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _strict() -> bool:
    return any(os.environ.get(v, "").strip().lower() not in ("", "0", "false", "no", "off")
               for v in ("CI", "SEGDSL_REQUIRE_ENGINES"))


def _run_chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--window-size=1280,2000"]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=180)


def test_renders_in_headless_chromium(project_dir, tmp_path):
    binary = _chromium()
    if binary is None:
        message = ("Chromium is not installed: `apt-get install -y chromium` (Debian), "
                   "or run `make test`, which installs it")
        if _strict():
            pytest.fail(message + " (CI / SEGDSL_REQUIRE_ENGINES is set: not skipping)", pytrace=False)
        pytest.skip(message)
    from tests.analysis.fixture import Warehouse, _load_duckdb

    db = tmp_path / "w.duckdb"
    _load_duckdb(db)
    wh = Warehouse("duckdb", db=db)
    for as_of in ("2024-01-01", "2024-06-30"):
        assert invoke("snapshot", project_dir, "-s", "young", "--as-of", as_of, *wh.args).exit_code == 0
    out, _ = _report(project_dir, wh, tmp_path)
    url = out.resolve().as_uri()

    dom = _run_chromium(binary, tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console  # the page logs nothing: any console line is an error
    html = dom.stdout
    assert 'data-ready="1"' in html  # the inline script ran to its end
    sizes = html[html.index('aria-label="segment sizes"'):]
    sizes = sizes[:sizes.index("</svg>")]
    assert sizes.count('class="bar"') == 5
    heat = html[html.index('aria-label="overlap heat map"'):]
    assert heat[:heat.index("</svg>")].count('class="cell"') == 25
    assert html.count('class="chart compare"') == 5 * 3  # three attributes per segment
    assert html.count('class="chart history"') == 2  # young: in the history section and its card
    assert html.count('class="point"') == 4

    shot = tmp_path / "report.png"
    done = _run_chromium(binary, tmp_path, f"--screenshot={shot}", url)
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1280  # width from the IHDR chunk
    assert len(data) > 40_000  # a blank page compresses to a few kilobytes
