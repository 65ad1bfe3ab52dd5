"""The GitHub Actions workflow (.github/workflows/ci.yml): valid for GitHub, and in
step with .ci/run and build.spec.

It cannot run here, so it is checked the ways it can be: against the published
JSON schema of workflow files (check-jsonschema, a dev dependency, offline;
actionlint has no installable build from the package registries here), and for
what it must do.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    schema = ["--builtin-schema", "vendor.github-workflows"]
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_workflow_matches_the_github_workflow_schema() -> None:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is a dev dependency")
    result = schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is a dev dependency")
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("    steps:\n", "    step:\n", 1), encoding="utf-8")
    result = schema_check(broken)
    assert result.returncode != 0
    assert "not valid" in result.stdout


def test_every_system_and_both_pythons_are_tested() -> None:
    matrix = workflow()["jobs"]["test"]["strategy"]["matrix"]
    assert set(matrix["os"]) == {"ubuntu-latest", "windows-latest", "macos-latest"}
    assert set(matrix["python"]) == {"3.11", "3.13"}


def run_lines() -> list[str]:
    return [step.get("run", "") for step in workflow()["jobs"]["test"]["steps"]]


def test_each_system_builds_the_bundle_and_runs_its_self_test() -> None:
    runs = "\n".join(run_lines())
    assert "uv sync --locked" in runs
    assert "uv run ruff check ." in runs
    assert "uv run pytest" in runs
    assert "uv run pyinstaller --noconfirm --log-level ERROR build.spec" in runs
    for binary in (
        "dist/kindred/kindred --self-test",
        "dist/kindred/kindred-cli.exe --self-test",
        "dist/kindred/kindred.exe --self-test",
        "dist/Kindred.app/Contents/MacOS/kindred --self-test",
    ):
        assert binary in runs


def apt_packages(text: str) -> list[str]:
    words = re.sub(r"#.*", "", text).replace("\\\n", " ").split()
    return [w for w in words if re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", w)]


def test_linux_installs_what_ci_run_installs() -> None:
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"^APT_PACKAGES=\((.*?)^\)", ci_run, re.S | re.M)
    assert block is not None
    [install] = [line for line in run_lines() if "apt-get install" in line]
    listed = apt_packages(install.split("--no-install-recommends", 1)[1])
    assert sorted(listed) == sorted(apt_packages(block.group(1)))


def test_the_release_attaches_the_three_bundles_and_alone_may_write() -> None:
    data = workflow()
    assert data["permissions"] == {"contents": "read"}
    release = data["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert release["permissions"] == {"contents": "write"}
    assert "permissions" not in data["jobs"]["test"]
    [publish] = [s for s in release["steps"] if s.get("uses", "").startswith("softprops/")]
    files = publish["with"]["files"].split()
    assert [Path(f).name for f in files] == [
        "kindred-linux-x86_64.tar.gz",
        "kindred-windows-x64.zip",
        "kindred-macos-arm64.zip",
    ]
    tags = data[True]["push"]["tags"]  # YAML 1.1 reads the key `on` as True
    assert tags == ["v*"]
    assert "secrets." not in WORKFLOW.read_text(encoding="utf-8")
