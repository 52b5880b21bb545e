"""The publishing workflow: test, build with `make site`, then deploy build/site to GitHub Pages."""

from __future__ import annotations

import pytest
import yaml

from tests.site_support import REPO

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"


def load() -> dict:
    # PyYAML reads the `on:` key as True (YAML 1.1); accept either spelling.
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_workflow_runs_on_main_and_by_hand():
    triggers = load()["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_workflow_has_only_the_permissions_pages_needs_and_one_run_at_a_time():
    workflow = load()
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False


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
