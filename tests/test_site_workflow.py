"""The publishing workflow: test, build with `make site`, then deploy build/site to GitHub Pages."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from tests.site_support import REPO

WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "publish.yml"
CI_RUN = REPO / ".ci" / "run"
# What the Debian container needs before anything else, which .ci/run finds already there.
CONTAINER_BASE = {
    "ca-certificates": "https downloads from PyPI",
    "git": "actions/checkout",
    "make": "the README's commands",
    "python3": "Python itself",
    "python3-venv": "the Makefile's .venv",
}


def load(path=WORKFLOW) -> dict:
    # PyYAML reads the `on:` key as True (YAML 1.1); accept either spelling.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def ci_run_packages() -> set[str]:
    """The Debian packages .ci/run installs when they are missing (`need+=(package)`)."""
    return set(re.findall(r"need\+=\(([a-z0-9.+-]+)\)", CI_RUN.read_text(encoding="utf-8")))


def apt_packages(command: str) -> set[str]:
    words = shlex.split(command.replace("\\\n", " "))
    install = [i for i, word in enumerate(words) if word == "install" and words[i - 1] == "apt-get"]
    assert install, command
    return {word for word in words[install[0] + 1 :] if not word.startswith("-")}


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_workflow_runs_on_main_and_by_hand():
    triggers = load()["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_only_the_deploy_job_may_write_to_pages_and_one_run_at_a_time():
    workflow = load()
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}, (
        "the job that installs packages and runs tests gets no write rights"
    )
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_the_workflow_installs_what_ci_run_installs():
    packages = ci_run_packages()
    assert {"chromium", "libreoffice-writer-nogui", "fonts-liberation2"} <= packages
    install = next(
        step["run"]
        for step in steps(load()["jobs"]["build"])
        if "apt-get install" in step.get("run", "")
    )
    installed = apt_packages(install)
    assert packages - installed == set(), "the workflow misses what .ci/run installs"
    assert installed - packages <= set(CONTAINER_BASE), installed - packages - set(CONTAINER_BASE)


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_action_is_pinned_by_a_full_commit_sha(path):
    uses = [
        step["uses"]
        for job in load(path)["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), (
            f"{path.name}: {action} is not pinned by a 40-hex commit SHA (a tag can be moved)"
        )
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if re.search(r"uses: \S+@[0-9a-f]{40}", line):
            assert re.search(r"# v\d", line), f"say which release the SHA is: {line.strip()}"


def test_pip_downloads_and_the_model_are_cached_by_what_decides_them():
    cache = next(
        step
        for step in steps(load()["jobs"]["build"])
        if step.get("uses", "").startswith("actions/cache@")
    )
    assert cache["with"]["path"] == "~/.cache/pip"
    key = cache["with"]["key"]
    assert "hashFiles('pyproject.toml', 'requirements/model.txt')" in key
    runs = [step.get("run", "") for step in steps(load()["jobs"]["build"])]
    assert steps(load()["jobs"]["build"]).index(cache) < runs.index("make test")


def test_build_job_tests_then_builds_then_uploads_build_site():
    job = load()["jobs"]["build"]
    runs = [step.get("run", "") for step in steps(job)]
    uses = [step.get("uses", "") for step in steps(job)]
    assert job["container"].startswith("debian:"), "Debian's Chromium, not Ubuntu's snap stub"
    install_at = next(i for i, r in enumerate(runs) if "apt-get install" in r)
    checkout_at = next(i for i, u in enumerate(uses) if u.startswith("actions/checkout@"))
    assert install_at < checkout_at, "git is installed before the checkout needs it"
    install = runs[install_at]
    for package in ("chromium", "libreoffice-writer-nogui", "poppler-utils"):
        assert package in install
    test_at = runs.index("make test")
    site_at = runs.index("make site")
    upload_at = next(
        i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact@")
    )
    assert test_at < site_at < upload_at, "tests pass before the site is built and uploaded"
    assert steps(job)[upload_at]["with"]["path"] == "build/site"
    # Strict mode: an unapproved publication fails the run instead of silently going missing.
    assert job["env"]["CI"] == "true"


def test_deploy_job_publishes_the_uploaded_site_after_the_build():
    job = load()["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["environment"]["name"] == "github-pages"
    deploy = steps(job)[0]
    assert deploy["uses"].startswith("actions/deploy-pages@")
    assert job["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["id"] == "deployment"


def test_make_site_runs_bscp_build():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nsite:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/bscp build" in recipe


def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch):
    from tests.tools import require

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and no-such-browser is not installed"):
        require("no-such-browser", install="apt-get install no-such-browser")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="apt-get install no-such-browser"):
        require("no-such-browser", install="apt-get install no-such-browser")
