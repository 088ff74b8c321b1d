"""Where schedules are found (docs/schedules.md §8) and how a set of them is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retainer.errors import ConfigError
from retainer.retention import ScheduleProblems, find_schedules, load_schedules
from retainer.retention import schedule as schedule_module

from .conftest import FIXTURES, SHIPPED

RULES = FIXTURES / "rules"


def copy(source: Path, folder: Path, *, title: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    text = source.read_text("utf-8")
    if title is not None:
        text = text.replace('title = "Alpha test schedule"', f'title = "{title}"')
    target.write_text(text, "utf-8")
    return target


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Five places holding alpha.toml, and an empty installed data folder."""
    installed = tmp_path / "prefix" / "share" / "retainer" / "schedules"
    monkeypatch.setattr(schedule_module, "installed_folders", lambda: [installed])
    named_file = copy(RULES / "alpha.toml", tmp_path / "named", title="named")
    config_dir = tmp_path / "config"
    copy(RULES / "alpha.toml", config_dir / "schedules", title="config")
    cwd = tmp_path / "cwd"
    copy(RULES / "alpha.toml", cwd / "schedules", title="cwd")
    copy(RULES / "alpha.toml", installed, title="installed")
    return {"named": named_file, "config_dir": config_dir, "cwd": cwd, "installed": installed}


def found_title(**kwargs) -> str:
    path = find_schedules(**kwargs)["alpha"]
    return next(line for line in path.read_text().splitlines() if line.startswith("title"))


def test_search_order_first_found_wins(places):
    named, config_dir, cwd = places["named"], places["config_dir"], places["cwd"]
    assert found_title(paths=[named], config_dir=config_dir, cwd=cwd) == 'title = "named"'
    assert found_title(config_dir=config_dir, cwd=cwd) == 'title = "config"'
    assert found_title(cwd=cwd) == 'title = "cwd"'
    assert found_title(cwd=cwd.parent / "elsewhere") == 'title = "installed"'


def test_a_named_folder_contributes_its_files_and_relative_paths_follow_the_config(places):
    config_dir = places["config_dir"]
    copy(RULES / "beta.toml", config_dir / "mine")
    found = find_schedules(paths=["mine"], config_dir=config_dir, cwd=places["cwd"])
    assert found["beta"] == config_dir / "mine" / "beta.toml"


def test_the_source_checkout_is_the_last_resort(places, monkeypatch):
    shutil.rmtree(places["installed"])
    found = find_schedules(cwd=places["cwd"].parent / "elsewhere")
    assert found["nara-grs"] == SHIPPED / "nara-grs.toml"
    assert schedule_module.search_folders(cwd=Path("/x"))[-1] == SHIPPED


def test_the_id_is_read_from_the_file(tmp_path):
    folder = tmp_path / "schedules"
    folder.mkdir()
    (folder / "renamed.toml").write_text((RULES / "beta.toml").read_text())
    (folder / "broken.toml").write_text("id = ")
    found = find_schedules(cwd=tmp_path)
    assert found["beta"] == folder / "renamed.toml"
    assert found["broken"] == folder / "broken.toml"
    with pytest.raises(ScheduleProblems, match="must equal the file name"):
        load_schedules(["alpha", "beta"], paths=[RULES / "alpha.toml"], cwd=tmp_path)


def test_load_schedules_keeps_the_use_order():
    book = load_schedules(["beta", "alpha"], paths=[RULES], cwd=RULES)
    assert [schedule.id for schedule in book.schedules] == ["beta", "alpha"]
    assert book.schedules[1].path == RULES / "alpha.toml"


def test_load_schedules_errors(tmp_path):
    with pytest.raises(ConfigError, match="no schedules in use"):
        load_schedules([], cwd=tmp_path)
    with pytest.raises(ConfigError, match="listed twice"):
        load_schedules(["alpha", "alpha"], paths=[RULES], cwd=tmp_path)
    with pytest.raises(ConfigError, match="schedule nowhere not found"):
        load_schedules(["alpha", "nowhere"], paths=[RULES], cwd=tmp_path)


def test_load_schedules_reports_the_problems_of_every_file():
    with pytest.raises(ScheduleProblems) as caught:
        load_schedules(["missing-keys", "duplicates", "valid-minimal"], paths=[FIXTURES],
                       cwd=FIXTURES)
    assert {problem.path.name for problem in caught.value.problems} == \
        {"missing-keys.toml", "duplicates.toml"}
