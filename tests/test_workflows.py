"""The contributor's tooling around the generator: GitHub workflows, the pull-request summary,
pre-commit hooks and the editor settings."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BASE, CASES, ROOT

from generator.cli import parser
from generator.schema import FILES, json_schema

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SUMMARY = ROOT / ".github" / "scripts" / "pr_summary.py"
GIT = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def steps(workflow: Path) -> list[dict]:
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    return [step for job in jobs.values() for step in job["steps"]]


def generator_commands() -> list[tuple[str, list[str]]]:
    """Every `python -m generator ...` the workflows and the hooks run, as argument lists."""
    found = []
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    scripts = [step.get("run", "") for workflow in WORKFLOWS for step in steps(workflow)]
    scripts += [hook["entry"] for hook in hooks + local]
    for script in scripts:
        for command in re.findall(r"python -m generator\b([^\n|;&>]*)", script):
            found.append((command.strip(), shlex.split(command)))
    return found


def test_actionlint_finds_nothing():
    venv_bin = Path(sys.executable).parent
    actionlint = shutil.which("actionlint", path=os.pathsep.join([str(venv_bin), os.environ.get("PATH", "")]))
    if actionlint is None:
        pytest.fail("actionlint is missing: install the test extra (pip install -e '.[test]')")
    assert WORKFLOWS, "no workflow files found"
    done = subprocess.run(
        [actionlint, "-no-color", *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_workflows_do_what_the_contributor_guide_promises():
    pr, deploy = (ROOT / ".github" / "workflows" / name for name in ("pr.yml", "deploy.yml"))
    commands = {command for command, _ in generator_commands()}
    assert {"validate --format github", "fmt --check", "build --site-dir site"} <= commands
    pr_uses = {step.get("uses", "").split("@")[0] for step in steps(pr)}
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact"} <= pr_uses
    assert any(
        "pr_summary.py" in step.get("run", "") and "GITHUB_STEP_SUMMARY" in step["run"] for step in steps(pr)
    )
    assert "pull_request" in yaml.safe_load(pr.read_text())[True]  # YAML 1.1 reads `on` as True
    data = yaml.safe_load(deploy.read_text())
    assert data[True]["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["group"] == "pages"
    deploy_uses = {step.get("uses", "").split("@")[0] for step in steps(deploy)}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= deploy_uses
    for workflow in WORKFLOWS:  # pinned by major tag
        for step in steps(workflow):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


def test_every_generator_command_used_exists():
    commands = generator_commands()
    assert len(commands) >= 5
    for text, args in commands:
        try:
            parser().parse_args(args)
        except SystemExit:
            pytest.fail(f"`python -m generator {text}` is not a valid command line")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=os.environ | GIT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def incident(date: str, title: str, town: str = "umm-housh") -> str:
    summary = f"On {date}, {title.lower()}. " * 6  # records as different as real ones
    return (
        BASE.replace("date: 2015-08-24", f'date: "{date}"')
        .replace("IS captures the village of Umm Housh", title)
        .replace("Islamic State fighters took the village after car bombs.", summary)
        .replace("towns: [umm-housh]", f"towns: [{town}]")
        .replace("town: umm-housh", f"town: {town}")
    )


def test_pr_summary_lists_added_changed_removed_and_warnings(tmp_path):
    repo, records = tmp_path, tmp_path / "incidents"
    (records / "2015").mkdir(parents=True)
    for name in ("towns.yaml", "groups.yaml"):
        shutil.copy(CASES / "registry" / name, records / name)
    files = {
        "kept": ("2015-08-20-kept", incident("2015-08-20", "A record nobody touches")),
        "edited": ("2015-08-21-edited", incident("2015-08-21", "IS attacks Umm Housh")),
        "gone": ("2015-08-22-gone", incident("2015-08-22", "A record that is removed")),
        "moved": ("2015-08-23-moved", incident("2015-08-23", "IS shells Marea", town="marea")),
    }
    for stem, text in files.values():
        (records / "2015" / f"{stem}.yaml").write_text(text)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "pull-request")
    edited = records / "2015" / "2015-08-21-edited.yaml"
    edited.write_text(edited.read_text().replace("IS attacks Umm Housh", "IS attacks Umm Housh | at *night*"))
    (records / "2015" / "2015-08-22-gone.yaml").unlink()
    (records / "2015" / "2015-08-23-moved.yaml").rename(records / "2015" / "2015-08-23-is-shells-marea.yaml")
    (records / "2015" / "2015-08-20-duplicate.yaml").write_text(incident("2015-08-20", "The same, twice"))
    (records / "2015" / "2015-08-24-broken.yaml").write_text("title: [\n")
    (repo / "README.md").write_text("not a record\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    done = subprocess.run(
        [sys.executable, str(SUMMARY), "main", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("## Incidents in this pull request\n")
    sections = dict(re.findall(r"^### (.+?)\n\n((?:- .*\n)+)", out, re.M))
    assert sections["Added (2)"] == ("- `2015-08-20-duplicate`: The same, twice\n- `2015-08-24-broken`\n")
    assert sections["Changed (2)"] == (
        "- `2015-08-21-edited`: IS attacks Umm Housh \\| at \\*night\\*\n"
        "- `2015-08-23-is-shells-marea`: IS shells Marea: renamed from `2015-08-23-moved`\n"
    )
    assert sections["Removed (1)"] == "- `2015-08-22-gone`: A record that is removed\n"
    (warning,) = sections["Validator warnings (1)"].splitlines()
    assert "2015-08-20-kept" in warning and "possible duplicate of '2015-08-20-duplicate'" in warning
    assert "kept`" not in out.split("### Validator")[0]
    assert "**1 error(s)**" in out


def test_pr_summary_without_changes(tmp_path):
    records = tmp_path / "incidents"
    records.mkdir()
    for name in ("towns.yaml", "groups.yaml"):
        shutil.copy(CASES / "registry" / name, records / name)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    done = subprocess.run(
        [sys.executable, str(SUMMARY), "main", "HEAD"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "No incident file added, changed or removed." in done.stdout
    missing = subprocess.run(
        [sys.executable, str(SUMMARY), "no-such-ref", "HEAD"], cwd=tmp_path, capture_output=True, text=True
    )
    assert missing.returncode == 2 and "git failed" in missing.stderr


def test_pre_commit_hooks():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"validate-incidents", "format-incidents"}
    assert hooks["validate-incidents"]["entry"] == "python -m generator validate incidents --changed"
    assert hooks["format-incidents"]["entry"] == "python -m generator fmt"
    assert hooks["validate-incidents"].get("pass_filenames", True)  # the staged records follow --changed
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert re.search(hook["files"], "incidents/2015/2015-08-08-is-captures-umm-housh.yaml")
        assert not re.search(hook["files"], "docs/contributing.md")
    (repo,) = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
    assert repo["repo"] == "local"
    for hook in repo["hooks"]:
        shared = {key: hooks[hook["id"]][key] for key in ("entry", "language", "files")}
        assert {key: hook[key] for key in shared} == shared
        assert hook.get("pass_filenames", True) == hooks[hook["id"]].get("pass_filenames", True)


def test_editor_settings_point_at_the_published_schemas():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    globs = {
        "incident": ["incidents/*/*.yaml"],
        "towns": ["incidents/towns.yaml"],
        "groups": ["incidents/groups.yaml"],
    }
    assert settings["yaml.schemas"] == {f"./docs/schema/{kind}.schema.json": globs[kind] for kind in FILES}
    for kind in FILES:  # the files exist and are up to date (`make schema` rewrites them)
        published = json.loads((ROOT / "docs" / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert published == json_schema(kind), f"docs/schema/{kind}.schema.json is stale: run `make schema`"
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text())
    assert "redhat.vscode-yaml" in extensions["recommendations"]
