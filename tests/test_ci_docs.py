"""docs/ci.md as written: the commands it shows print what it shows, and its pre-commit
set-ups work when pre-commit itself runs them in a new git repository.

The configurations are taken from docs/ci.md as they are written (the placeholders of the
second one replaced by a git copy of this repository and its commit), so the documented
text is what is tested.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_readme_tour import _repository_copy, output_matches

ROOT = Path(__file__).resolve().parents[1]
GOOD = 'segment west where region = "West Coast"\n'
UNFORMATTED = 'segment  west   where region="West Coast"\n'
WRONG = 'segment west where region = "west coast"\n'


CI_MD = ROOT / "docs" / "ci.md"


def test_commands_shown_print_what_the_page_shows():
    blocks = re.findall(r"```text\n\$ (segdsl [^\n]*)\n(.*?)```", CI_MD.read_text(encoding="utf-8"),
                        flags=re.S)
    assert blocks
    for command, shown in blocks:
        result = subprocess.run([sys.executable, "-m", "segdsl.cli.main", *command.split()[1:]],
                                cwd=ROOT, capture_output=True, text=True,
                                env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"})
        assert result.returncode == 0, result.stderr
        assert output_matches(shown.splitlines(), result.stdout.splitlines()), (
            f"docs/ci.md shows for `{command}`:\n{shown}\nit prints:\n{result.stdout}")


def documented_configs() -> list[str]:
    text = CI_MD.read_text(encoding="utf-8")
    start = text.index("## pre-commit")
    section = text[start:text.index("\n## ", start + 1)]
    return re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", section, flags=re.S)


def test_docs_show_a_local_and_a_pinned_configuration():
    local, pinned = documented_configs()
    assert "repo: local" in local and "language: system" in local
    assert "rev: <commit>" in pinned and "v0.1.0" not in pinned


@pytest.fixture
def project(tmp_path) -> Path:
    """A git repository holding a segdsl project, as a user's would."""
    repo = tmp_path / "segments"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy2(ROOT / "examples" / "segdsl.toml", repo / "segdsl.toml")
    (repo / "west.seg").write_text(GOOD, encoding="utf-8")
    return repo


def _pre_commit(repo: Path, config: str, env: dict[str, str], *files: str):
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", *files],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def _environment(tmp_path: Path, package_root: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEGDSL_", "PYTHON"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")  # no shared cache
    env["NO_COLOR"] = "1"
    # Only the segdsl this test provides (or none): not one of an activated environment.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and not (Path(p) / "segdsl").exists())
    if package_root is not None:  # `segdsl` on PATH, as after `pip install`
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        shim = bin_dir / "segdsl"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m segdsl.cli.main "$@"\n')
        shim.chmod(0o755)
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONPATH"] = str(package_root)
    return env


def _assert_hooks_work(project: Path, config: str, env: dict[str, str]) -> None:
    ok = _pre_commit(project, config, env, "west.seg", "segdsl.toml")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"segdsl check\.+Passed", ok.stdout) and re.search(r"segdsl fmt\.+Passed", ok.stdout)

    (project / "west.seg").write_text(UNFORMATTED, encoding="utf-8")
    reformatted = _pre_commit(project, config, env, "west.seg")
    assert reformatted.returncode == 1, reformatted.stdout
    assert "files were modified by this hook" in reformatted.stdout
    assert (project / "west.seg").read_text(encoding="utf-8") == GOOD

    (project / "west.seg").write_text(WRONG, encoding="utf-8")
    failed = _pre_commit(project, config, env, "west.seg")
    assert failed.returncode == 1
    assert re.search(r"segdsl check\.+Failed", failed.stdout)
    assert "error[SEG0302]" in failed.stdout and "did you mean `West Coast`?" in failed.stdout


def test_local_hooks_run_the_installed_segdsl(project, tmp_path):
    local, _ = documented_configs()
    _assert_hooks_work(project, local, _environment(tmp_path, ROOT))


@pytest.mark.slow
def test_shipped_hooks_at_a_pinned_commit(project, tmp_path):
    """pre-commit clones this repository at the commit, installs it in an environment of its
    own (from the package index) and runs the hooks of .pre-commit-hooks.yaml."""
    hooks_repo = tmp_path / "segdsl"
    hooks_repo.mkdir()
    _repository_copy(hooks_repo)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hooks_repo, check=True,
                            capture_output=True, text=True).stdout.strip()
    _, pinned = documented_configs()
    config = (pinned.replace("https://github.com/<owner>/segdsl", str(hooks_repo))
              .replace("<commit>", commit))
    # No segdsl on PATH: the hooks must run the one pre-commit installed.
    _assert_hooks_work(project, config, _environment(tmp_path, None))


@pytest.mark.slow
def test_install_from_the_git_repository_at_a_commit(tmp_path):
    """The documented `pip install "segdsl @ git+...@<commit>"`, with a git copy of this
    repository in place of the git host: the package built from it works on its own."""
    text = CI_MD.read_text(encoding="utf-8")
    start = text.index("## Installing segdsl")
    section = text[start:text.index("\n## ", start + 1)]
    spec = re.search(r'pip install "(segdsl @ git\+https://github\.com/<owner>/segdsl@<commit>)"',
                     section).group(1)
    clone = tmp_path / "segdsl"
    clone.mkdir()
    _repository_copy(clone)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, check=True,
                            capture_output=True, text=True).stdout.strip()
    # file://localhost/...: older pips reject a git+file URL without a host
    spec = (spec.replace("https://github.com/<owner>/segdsl", f"file://localhost{clone.as_posix()}")
            .replace("<commit>", commit))
    site = tmp_path / "site"
    # The dependencies are this environment's; the package itself comes from the commit.
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                    spec], check=True, capture_output=True, timeout=600)
    assert (site / "segdsl" / "grammar" / "segdsl.lark").is_file()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEGDSL_", "PYTHON"))}
    env["PYTHONPATH"] = str(site)
    checked = subprocess.run([sys.executable, "-m", "segdsl.cli.main", "check", str(ROOT / "examples")],
                             cwd=tmp_path, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    where = subprocess.run([sys.executable, "-c", "import segdsl; print(segdsl.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(site))
