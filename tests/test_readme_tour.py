"""The README works as written: its tour runs, command by command, in a copy of the repository.

The tour (the README section "A five-minute tour") is read as a script:

- a ```sh block holds commands, one a line, each of which must exit 0;
- a ```text block holds `$ command` lines, each followed by the output the README shows; the
  command must print that output (a `...` line stands for any number of lines; durations
  such as `0.80s` may differ) and exit 1 if the output shows an error, else 0;
- a ```seg block is a file to write, at the last `.seg` path the text before it names.

The commands run with `segdsl` on PATH, in a fresh copy of the repository that is a git
repository of its own (as a clone is), after the demo warehouse has been built where
`make demo` builds it. The CLI reference table and `make demo` are checked here too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
TOUR_TITLE = "## A five-minute tour"
DURATION = re.compile(r"\b\d+(?:\.\d+)?s\b")


@dataclass(frozen=True)
class Step:
    kind: str  # "run" (a command) or "write" (a file)
    text: str  # the command, or the file's content
    path: str = ""  # the file to write
    expected: tuple[str, ...] | None = None  # output the README shows (text blocks)
    line: int = 0  # README line, for messages

    @property
    def expected_exit(self) -> int:
        return 1 if self.expected and any("error[" in x for x in self.expected) else 0


def _section(text: str, title: str) -> tuple[str, int]:
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start:end if end >= 0 else len(text)], text[:start].count("\n") + 1


def tour_steps(readme: str | None = None) -> list[Step]:
    section, first_line = _section(readme or README.read_text(encoding="utf-8"), TOUR_TITLE)
    steps: list[Step] = []
    prose: list[str] = []
    lines = section.splitlines()
    i = 0
    while i < len(lines):
        fence = re.fullmatch(r"```(\w*)", lines[i])
        if not fence:
            prose.append(lines[i])
            i += 1
            continue
        lang, start = fence.group(1), i + 1
        end = lines.index("```", start)
        body, where = lines[start:end], first_line + start
        if lang == "sh":
            steps += [Step("run", cmd, line=where + n) for n, cmd in enumerate(body)
                      if cmd.strip() and not cmd.lstrip().startswith("#")]
        elif lang == "text":
            steps += _text_block(body, where)
        elif lang == "seg":
            paths = re.findall(r"`([^`\s]+\.seg)`", "\n".join(prose))
            assert paths, f"README.md:{where}: a seg block in the tour must follow its file's path"
            steps.append(Step("write", "\n".join(body) + "\n", path=paths[-1], line=where))
        prose = []
        i = end + 1
    return steps


def _text_block(body: list[str], where: int) -> list[Step]:
    steps: list[Step] = []
    for n, line in enumerate(body):
        if line.startswith("$ "):
            steps.append(Step("run", line[2:], expected=(), line=where + n))
        else:
            assert steps, f"README.md:{where}: a text block in the tour starts with `$ command`"
            last = steps[-1]
            steps[-1] = Step("run", last.text, expected=last.expected + (line,), line=last.line)
    return steps


def _normalise(lines) -> list[str]:
    out = [DURATION.sub("N.NNs", line.rstrip()) for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def output_matches(expected, actual) -> bool:
    """Line by line; a `...` line in `expected` matches any run of lines, even none."""
    want, got = _normalise(expected), _normalise(actual)

    @lru_cache(maxsize=None)
    def match(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(got)
        if want[i] == "...":
            return match(i + 1, j) or (j < len(got) and match(i, j + 1))
        return j < len(got) and want[i] == got[j] and match(i + 1, j + 1)

    return match(0, 0)


# ---- the reading of the README ---------------------------------------------------------------


def test_output_matching():
    assert output_matches(["a", "...", "c"], ["a", "b", "b", "c", ""])
    assert output_matches(["...", "c", "..."], ["c"])
    assert not output_matches(["a", "c"], ["a", "b", "c"])
    assert not output_matches(["a", "..."], ["b", "a"])
    assert output_matches(["ran in 0.80s"], ["ran in 12.3s"])


def test_the_tour_is_read_as_a_script():
    steps = tour_steps()
    commands = [s.text for s in steps if s.kind == "run"]
    # Every stage of the tour is there, so a change to the README's layout that hides the
    # commands from this reader fails here rather than silently testing nothing.
    for word in ("init", "check", "fmt", "explain", "compile", "run", "profile", "overlap",
                 "diff", "snapshot", "history", "report"):
        assert any(c.startswith(f"segdsl {word} ") for c in commands), word
    assert [s.path for s in steps if s.kind == "write"] == ["myproject/segments/regulars.seg"]
    assert [s.expected_exit for s in steps if s.expected].count(1) == 1
    assert all(s.expected for s in steps if s.text.startswith("segdsl run myproject"))


def test_the_tour_segment_fits_the_project_init_writes(tmp_path):
    """Step 2 adds a file to the project of step 1: its names must not clash with the
    scaffold's, and the traits it uses from the scaffold must be there."""
    import segdsl
    from segdsl.scaffold import init_project

    init_project(tmp_path / "myproject")
    for step in tour_steps():
        if step.kind == "write":
            (tmp_path / step.path).write_text(step.text, encoding="utf-8")
    project = segdsl.load_project(tmp_path / "myproject")
    assert [str(d) for d in project.check()] == []
    assert "lapsed_regulars" in project.segment_names()


def test_the_tour_names_what_init_writes(tmp_path):
    """Step 1 tells what `segdsl init` writes; every file, segment and trait of it."""
    import segdsl
    from segdsl.scaffold import init_project

    step1 = _section(README.read_text(encoding="utf-8"), "**1. Start a project**")[0]
    step1 = step1[:step1.index("**2.")]
    written = init_project(tmp_path)
    project = segdsl.load_project(tmp_path)
    names = [*project.segment_names(), *re.findall(r"^trait (\w+)", "".join(
        p.read_text() for p in written if p.suffix == ".seg"), flags=re.M)]
    assert len(names) == 5
    for name in [*names, *(p.name for p in written)]:
        assert f"{name}`" in step1, f"README tour step 1 does not mention {name}"


def test_python_example_runs(monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    monkeypatch.chdir(ROOT)  # its paths are relative to the repository, as the tour's are
    names: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), names)
    assert "SELECT" in names["sql"] and isinstance(names["problems"], list)


# ---- the CLI reference table -----------------------------------------------------------------

_OPTIONS_SCRIPT = """
import json, typer
from segdsl.cli import main
main._register_commands()
def walk(cmd, prefix):
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from walk(sub, prefix + [name])
    else:
        yield " ".join(prefix), sorted(o for p in cmd.params for o in p.opts + p.secondary_opts)
print(json.dumps(dict(walk(typer.main.get_command(main.app), []))))
"""


def _cli_table() -> dict[str, str]:
    section, _ = _section(README.read_text(encoding="utf-8"), "## CLI reference")
    rows = re.findall(r"^\| `segdsl ([^`]*)` \|", section, flags=re.M)
    table: dict[str, str] = {}
    for row in rows:
        if row == "--version":
            continue
        words = row.split()
        # a command group's subcommand is named by both words (`schema pull`, `dbt generate`)
        name = " ".join(words[:2]) if words[0] in ("schema", "dbt") else words[0]
        table[name] = row
    return table


def test_cli_reference_table_names_every_command_and_only_real_options():
    proc = subprocess.run([sys.executable, "-c", _OPTIONS_SCRIPT], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    real = json.loads(proc.stdout)
    table = _cli_table()
    assert set(table) == set(real), "the README's CLI table and the commands differ"
    for name, row in table.items():
        for option in re.findall(r"--[a-z][a-z-]*", row):
            assert option in real[name], f"`segdsl {name}` has no {option} (README CLI table)"
    assert "--output" in table["report"]


# ---- make demo -------------------------------------------------------------------------------


def _make_dry_run(target: str, tmp_path: Path) -> str:
    if shutil.which("make") is None:
        pytest.fail("make is not installed")
    venv = tmp_path / "venv"  # a venv that does not exist: every install step is listed
    proc = subprocess.run(["make", "-n", "-B", target, f"VENV={venv}"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_make_demo_installs_only_what_the_demo_needs(tmp_path):
    demo = _make_dry_run("demo", tmp_path)
    installs = [line for line in demo.splitlines() if "pip install" in line]
    assert installs and all("[dev]" not in line for line in installs), demo
    assert "segdsl demo" in demo
    assert any("[dev]" in line for line in _make_dry_run("test", tmp_path).splitlines())


# ---- the tour itself -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The full-size demo warehouse, built once: the README's figures are for this one."""
    from segdsl.demo import build_demo_warehouse

    path = tmp_path_factory.mktemp("tour_demo") / "demo.duckdb"
    build_demo_warehouse(path, progress=False)
    return path


def _repository_copy(dest: Path) -> None:
    """The repository's files as a clone would have them (tracked and new files, not
    ignored ones such as .venv or a built warehouse), committed in a git repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, listed.decode().split("\0")):
        source = ROOT / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    env = {**os.environ, "GIT_AUTHOR_NAME": "tour", "GIT_AUTHOR_EMAIL": "tour@example.com",
           "GIT_COMMITTER_NAME": "tour", "GIT_COMMITTER_EMAIL": "tour@example.com"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "clone"]):
        subprocess.run(["git", *args], cwd=dest, env=env, check=True, capture_output=True)


def _environment(repo: Path, bin_dir: Path) -> dict[str, str]:
    # `segdsl` runs the copy's package (PYTHONPATH), unbuffered so that stdout and stderr
    # interleave as on a terminal; 100 columns is the width the README's tables show.
    shim = bin_dir / "segdsl"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m segdsl.cli.main "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEGDSL_", "PYTHON"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(repo),
               PYTHONUNBUFFERED="1", COLUMNS="100", NO_COLOR="1", TERM="dumb")
    return env


def _run(command: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, executable="/bin/sh", cwd=repo, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600)


@pytest.mark.slow
def test_readme_tour_runs_as_written(tmp_path, demo_warehouse):
    repo, bin_dir = tmp_path / "segdsl", tmp_path / "bin"
    repo.mkdir()
    bin_dir.mkdir()
    _repository_copy(repo)
    env = _environment(repo, bin_dir)
    shutil.copy2(demo_warehouse, repo / "examples" / "demo.duckdb")

    # What `make demo` leaves behind, and what it prints.
    demo = _run("segdsl demo", repo, env)
    assert demo.returncode == 0, demo.stdout
    assert "using the demo warehouse" in demo.stdout and "lapsed_vips" in demo.stdout

    for step in tour_steps():
        where = f"README.md:{step.line}: {step.text}"
        if step.kind == "write":
            (repo / step.path).write_text(step.text, encoding="utf-8")
            continue
        result = _run(step.text, repo, env)
        assert "Traceback" not in result.stdout, f"{where}\n{result.stdout}"
        assert result.returncode == step.expected_exit, f"{where}\n{result.stdout}"
        if step.expected:
            assert output_matches(step.expected, result.stdout.splitlines()), (
                f"{where}\nthe README shows:\n" + "\n".join(step.expected)
                + "\n\nthe command printed:\n" + result.stdout)

    # What the tour's commands leave behind.
    assert (repo / "report.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    members = (repo / "vips.csv").read_text(encoding="utf-8").splitlines()
    assert members[0] == "segment,customer_id" and len(members) > 1
    assert not (repo / "myproject" / "segments" / "typo.seg").exists()
