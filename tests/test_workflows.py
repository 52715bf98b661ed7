"""The GitHub workflows: every `reconciler` and `make` command they run exists with the flags
they pass; actions are pinned to commits; no workflow gets more than it needs."""

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from reconciler.cli import main
from reconciler.model import ActionSettings, Credentials

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "2>", "<", "<<<"}


def load(path: Path) -> dict[Any, Any]:
    # YAML 1.1 reads the key `on` as True.
    document = yaml.safe_load(path.read_text())
    document["on"] = document.pop(True, document.get("on"))
    return document


def scripts(path: Path) -> list[str]:
    """The `run:` scripts of every step, line continuations joined."""
    return [
        step["run"].replace("\\\n", " ")
        for job in load(path)["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


def commands(script: str, program: str) -> list[list[str]]:
    """Each call of `program` (also as `.venv/bin/program`) with the words after it, up to
    the next shell operator."""
    found = []
    for line in script.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        for index, word in enumerate(words):
            if word == program or word.endswith(f"/{program}"):
                rest = []
                for following in words[index + 1 :]:
                    if following in SHELL_OPERATORS or following.startswith(("2>", ">")):
                        break
                    rest.append(following)
                found.append(rest)
    return found


def all_commands(program: str) -> list[tuple[str, list[str]]]:
    return [
        (path.name, words)
        for path in WORKFLOWS
        for script in scripts(path)
        for words in commands(script, program)
    ]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, flags=re.MULTILINE))


def options(command: click.Command) -> set[str]:
    return {name for param in command.params for name in getattr(param, "opts", [])}


def test_the_four_workflows_exist():
    assert [path.name for path in WORKFLOWS] == ["apply.yml", "ci.yml", "drift.yml", "plan.yml"]


def test_every_reconciler_command_exists_with_the_flags_the_workflows_pass():
    used = all_commands("reconciler")
    assert {words[0] for _, words in used} >= {"validate", "plan", "apply", "drift"}
    for workflow, words in used:
        command = main.commands.get(words[0])
        assert command is not None, f"{workflow}: reconciler {words[0]} does not exist"
        flags = {w.split("=", 1)[0] for w in words[1:] if w.startswith("--")}
        unknown = flags - options(command)
        assert not unknown, f"{workflow}: reconciler {words[0]} has no {sorted(unknown)}"


def test_every_make_target_the_workflows_run_exists():
    used = all_commands("make")
    assert used
    targets = make_targets()
    for workflow, words in used:
        named = [w for w in words if not w.startswith("-") and "=" not in w]
        assert set(named) <= targets, f"{workflow}: make {' '.join(named)}"


def test_the_flag_check_finds_a_flag_that_does_not_exist():
    (words,) = commands(
        '.venv/bin/reconciler plan --tenant "$T" --no-such-flag > out', "reconciler"
    )
    assert words == ["plan", "--tenant", "$T", "--no-such-flag"]
    assert "--no-such-flag" not in options(main.commands["plan"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_commit_shas(path):
    uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text())
    assert uses
    for action, comment in uses:
        if action == "./":  # the repository's own action.yml, at the commit checked out
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), f"{action}: no # vX.Y.Z"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_explicit_and_pull_request_target_is_never_used(path):
    document = load(path)
    assert "pull_request_target" not in document["on"]
    assert "permissions" in document
    for job in document["jobs"].values():
        granted = {**(document["permissions"] or {}), **job.get("permissions", {})}
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= {"pull-requests", "issues"}
        if writes:
            steps = job["steps"]
            assert not any("run" in step for step in steps), "a job that writes runs no code"
            assert not any("secrets." in str(step) for step in steps)


def test_applies_of_one_tenant_never_run_at_once():
    job = load(ROOT / ".github" / "workflows" / "apply.yml")["jobs"]["apply"]
    assert job["concurrency"] == {"group": "${{ matrix.tenant }}", "cancel-in-progress": False}
    assert job["environment"] == "${{ matrix.tenant }}"


def test_apply_keeps_the_record_of_an_unfinished_apply_in_the_actions_cache():
    steps = load(ROOT / ".github" / "workflows" / "apply.yml")["jobs"]["apply"]["steps"]
    names = [step.get("name") for step in steps]
    restore = steps[names.index("Restore the record of an unfinished apply")]
    applying = names.index("Apply")
    save = steps[names.index("Save the record of an unfinished apply")]
    assert names.index(restore["name"]) < applying < names.index(save["name"])
    assert restore["uses"].startswith("actions/cache/restore@")
    assert save["uses"].startswith("actions/cache/save@")
    # Saved also when the apply fails or the run is cancelled, under a key of its own (cache
    # entries cannot be overwritten); the newest one of the tenant is restored.
    assert save["if"] == "always()"
    key = "apply-journal-${{ matrix.tenant }}-${{ github.run_id }}-${{ github.run_attempt }}"
    assert restore["with"]["key"] == save["with"]["key"] == key
    assert restore["with"]["restore-keys"] == "apply-journal-${{ matrix.tenant }}-"
    folder = restore["with"]["path"]
    assert save["with"]["path"] == folder
    (words,) = commands(steps[applying]["run"].replace("\\\n", " "), "reconciler")
    journal = words[words.index("--journal") + 1]
    assert journal == ".apply-journal/$TENANT.json"
    assert journal.startswith(folder)
    assert "mkdir -p .apply-journal" in steps[applying]["run"]


def steps_of(path: Path) -> list[dict[str, Any]]:
    return [step for job in load(path)["jobs"].values() for step in job.get("steps", [])]


def test_jobs_that_run_the_reconciler_install_it_with_the_repositorys_own_action():
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            steps = job.get("steps", [])
            text = "\n".join(step.get("run", "") for step in steps)
            if not commands(text, "reconciler"):
                continue
            uses = [step.get("uses") for step in steps]
            assert "./" in uses, f"{path.name}: the reconciler is not installed by action.yml"
            assert ".venv" not in text and not commands(text, "make"), path.name


def test_the_action_is_composite_pinned_and_installs_no_dev_tool():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    for step in steps:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        else:
            assert step["shell"] == "bash"
    install = "\n".join(step.get("run", "") for step in steps)
    assert "pip install" in install and "[dev]" not in install
    assert '"${PACKAGE:-$SOURCE}"' in install
    assert steps[-1]["env"]["SOURCE"] == "${{ github.action_path }}"
    assert 'echo "$venv/bin" >> "$GITHUB_PATH"' in install


def tenant_variables() -> set[str]:
    """Every environment variable a tenant's files name by default: the management
    credentials and the post-login Action's secrets."""
    credentials = Credentials()
    return {credentials.client_id_env, credentials.client_secret_env} | set(
        ActionSettings().secret_names
    )


@pytest.mark.parametrize(
    ("workflow", "step"), [("plan.yml", "Validate and plan"), ("apply.yml", "Apply")]
)
def test_plan_and_apply_pass_every_variable_a_tenant_needs(workflow, step):
    (found,) = [
        s for s in steps_of(ROOT / ".github" / "workflows" / workflow) if s.get("name") == step
    ]
    assert {"ORG_ROUTING_DOMAIN", "ORG_ROUTING_CLIENT_ID", "ORG_ROUTING_CLIENT_SECRET"} <= (
        tenant_variables()
    )
    for name in tenant_variables():
        assert found["env"][name] == f"${{{{ secrets.{name} }}}}", name
