"""Never a traceback: the real `segdsl` command on broken projects and hostile files gets a
clean diagnostic with a stable code and the documented exit code (1 problems in segments,
2 usage or configuration, 3 internal error with a one-line bug report request)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.projects import ROOT

SCHEMA = (ROOT / "examples" / "segdsl.toml").read_text(encoding="utf-8")


def run(*args, cwd=None, stdin=None, env=None, as_user=False):
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", *map(str, args)],
                          capture_output=True, cwd=cwd, input=stdin, env=env, timeout=120,
                          preexec_fn=_without_root_reading if as_user else None)
    out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    assert "Traceback" not in out, out[-3000:]
    assert max((len(line) for line in out.splitlines()), default=0) < 400, "an unclipped line"
    return proc.returncode, out


def project(tmp_path, seg: bytes | str | None = None, toml: bytes | str = SCHEMA):
    (tmp_path / "segdsl.toml").write_bytes(toml.encode() if isinstance(toml, str) else toml)
    if seg is not None:
        (tmp_path / "a.seg").write_bytes(seg.encode() if isinstance(seg, str) else seg)
    return tmp_path


def deep_parens(n: int) -> str:
    return "segment deep where " + "(" * n + "age > 3" + ")" * n + "\n"


CASES = {
    # name: (files, command, exit code, code in the output)
    "bad_toml": (dict(toml="[entity\nname = 1\n"), "check", 2, "SEG0402"),
    "toml_not_utf8": (dict(toml=b'[entity]\nname = "\xff"\n'), "check", 2, "SEG0104"),
    "empty_toml": (dict(toml=""), "check", 2, "SEG0403"),
    "unknown_type": (dict(toml=SCHEMA.replace('age = "integer"', 'age = "int32"'),
                          seg="segment a where age > 1\n"), "check", 2, "SEG0404"),
    "seg_not_utf8": (dict(seg=b'segment a where city = "\xff"\n'), "check", 1, "SEG0104"),
    "nul_byte": (dict(seg=b"segment a where age > 3\x00\n"), "check", 1, "SEG0105"),
    "deep_nesting": (dict(seg=deep_parens(5000)), "check", 1, "SEG0106"),
    "not_chain": (dict(seg="segment n where " + "not " * 3000 + "is_subscribed\n"), "check", 1, "SEG0106"),
    "long_sum": (dict(seg="segment s where " + " + ".join(["age"] * 20000) + " > 1\n"), "check", 1, "SEG0106"),
    "ten_mb": (dict(seg="".join(f"segment s{i} where age > {i}\n" for i in range(400_000))),
               "check", 1, "SEG0107"),
    "ten_mb_one_line": (dict(seg="segment s where " + "x" * 10_000_000 + " > 1\n"), "check", 1, "SEG0107"),
    "fmt_nul_byte": (dict(seg=b"segment a where age > 3\x00\n"), "fmt", 1, "SEG0105"),
    "fmt_not_utf8": (dict(seg=b'segment a where city = "\xff"\n'), "fmt", 1, "SEG0104"),
    "fmt_deep_nesting": (dict(seg=deep_parens(5000)), "fmt", 1, "SEG0106"),
    "fmt_not_chain": (dict(seg="segment n where " + "not " * 3000 + "is_subscribed\n"), "fmt", 1, "SEG0106"),
    "fmt_ten_mb": (dict(seg="segment s where " + "x" * 10_000_000 + " > 1\n"), "fmt", 1, "SEG0107"),
    "explain_bad_toml": (dict(toml="[entity\n", seg="segment a where age > 1\n"), "explain", 2, "SEG0402"),
    "compile_deep": (dict(seg=deep_parens(5000)), "compile", 1, "SEG0106"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(tmp_path, name):
    files, command, code, diagnostic = CASES[name]
    project(tmp_path, **files)
    status, out = run(command, tmp_path)
    assert status == code, out[-2000:]
    assert diagnostic in out


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_hostile_input_in_every_format(tmp_path, fmt):
    project(tmp_path, seg=deep_parens(5000))
    status, out = run("check", tmp_path, "--format", fmt)
    assert status == 1 and "SEG0106" in out


def test_missing_project(tmp_path):
    status, out = run("check", tmp_path)
    assert status == 2 and "SEG0401" in out
    status, out = run("check", tmp_path / "nowhere")
    assert status == 2 and "SEG0401" in out


def test_unreadable_file(tmp_path):
    project(tmp_path)
    (tmp_path / "gone.seg").symlink_to(tmp_path / "missing-target.seg")  # readable by nobody
    status, out = run("check", tmp_path)
    # a .seg file, not segdsl.toml: its own code, saying what is wrong; a problem of the
    # segments (exit 1), not of the configuration
    assert status == 1 and "SEG0407" in out and "SEG0402" not in out
    assert "gone.seg is a symbolic link to a file that does not exist" in out


def _without_root_reading() -> None:
    """Runs in the child before exec: root keeps reading files it has no permission for
    through two capabilities; dropped from the bounding set, the exec'd process lacks them
    and meets the permission bits as any user would."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_file_without_permissions(tmp_path):
    project(tmp_path, seg="segment a where age > 1\n")
    os.chmod(tmp_path / "a.seg", 0)
    as_root = os.geteuid() == 0
    try:
        status, out = run("check", tmp_path, as_user=as_root)
        assert status == 1 and "SEG0407" in out
        status, out = run("fmt", tmp_path / "a.seg", as_user=as_root)
        assert status == 1 and "SEG0407" in out
        status, out = run("compile", tmp_path / "a.seg", as_user=as_root)
        assert status == 1 and "SEG0407" in out
    finally:
        os.chmod(tmp_path / "a.seg", 0o644)


def test_usage_errors(tmp_path):
    project(tmp_path, seg="segment a where age > 1\n")
    for args in (["check", tmp_path, "--format", "yaml"], ["check", "--no-such-option"],
                 ["fmt", tmp_path / "missing.seg"], ["explain", tmp_path, "-s", "nope"],
                 ["fmt", tmp_path / "segdsl.toml"], ["compile", tmp_path, "--as-of", "9999-12-31"],
                 ["nonsense-command"]):
        status, out = run(*args)
        assert status == 2, (args, out)


def test_internal_error_is_one_line_and_exit_3(tmp_path):
    project(tmp_path, seg="segment a where age > 1\n")
    code = ("import sys, segdsl.api as api, segdsl.cli.main as main\n"
            "api.Project.check = lambda self: 1 / 0\n"
            f"sys.argv = ['segdsl', 'check', {str(tmp_path)!r}]\n"
            "main.main()\n")
    env = {k: v for k, v in os.environ.items() if k != "SEGDSL_DEBUG"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "internal error" in proc.stderr and "bug" in proc.stderr


def test_interrupted_stdin_and_binary_stdin(tmp_path):
    status, out = run("fmt", "-", stdin=b"\xff\xfe not text")
    assert status == 1 and "SEG0104" in out
    status, out = run("fmt", "-", stdin=b"segment a where age > 3\x00")
    assert status == 1 and "SEG0105" in out


def test_a_project_folder_full_of_problems_reports_them_all(tmp_path):
    project(tmp_path, seg=deep_parens(100))
    (tmp_path / "b.seg").write_bytes(b"segment b where age > 3\x00\n")
    (tmp_path / "c.seg").write_bytes(b'segment c where city = "\xff"\n')
    (tmp_path / "d.seg").write_text("segment d where age >\n")
    shutil.copy(tmp_path / "d.seg", tmp_path / "e.seg")
    status, out = run("check", tmp_path)
    assert status == 1
    for code in ("SEG0106", "SEG0105", "SEG0104", "SEG0101"):
        assert code in out
