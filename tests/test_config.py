"""retainer.toml: where it is found, what it means, and every problem it can have."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from retainer.config import (
    ConfigProblems,
    Person,
    Settings,
    load_settings,
    path_warnings,
    redact_url,
)
from retainer.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = Path(__file__).parent / "data" / "config"
SAMPLE = ROOT / "sample_exports" / "retainer.toml"
DANA = """
[[people]]
name = "Dana Reyes"
custodian = true
aliases = ["Dana R", "+1 619 555 0142"]
official_accounts = ["dana.reyes@agency.example.gov"]
"""


def write(folder: Path, text: str, name: str = "retainer.toml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(folder: Path, text: str, **options) -> Settings:
    options.setdefault("environ", {})
    options.setdefault("cwd", folder)
    return load_settings(write(folder, text), **options)


def problems(folder: Path, text: str, **options) -> list[ConfigError]:
    with pytest.raises(ConfigProblems) as caught:
        load(folder, text, **options)
    return caught.value.problems


def problem(folder: Path, text: str, **options) -> ConfigError:
    """The one problem of a configuration: its line and message are what tests look at."""
    found = problems(folder, text, **options)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


# --- the files that ship -------------------------------------------------------------------

def test_sample_configuration_has_no_problem():
    known = {p.stem for p in (ROOT / "schedules").glob("*.toml")}
    settings = load_settings(SAMPLE, environ={}, known_schedules=lambda base, paths: known)
    assert settings.config_path == SAMPLE
    assert settings.database_url == f"sqlite:///{SAMPLE.parent / 'sample-archive.db'}"
    assert settings.vault == SAMPLE.parent / "sample-vault"
    assert [p.name for p in settings.people if p.custodian] == [
        "Dana Reyes", "Marcus Bell", "Elena Vargas"]
    assert {s.channel for s in settings.sources} == {"device", "official"}
    assert path_warnings(settings) == []


def test_every_key(tmp_path):
    settings = load_settings(CONFIGS / "full.toml", environ={}, cwd=tmp_path)
    assert settings.database_url == f"sqlite:///{CONFIGS / 'archive' / 'retainer.db'}"
    assert settings.vault == CONFIGS / "store" / "vault"
    assert (settings.timezone, settings.window_days, settings.scope, settings.as_of) == (
        "America/Los_Angeles", 10, "sent+received", "2024-03-21")
    assert settings.schedules == ("nara-grs", "example-agency")
    assert settings.schedule_paths == (CONFIGS / "my-schedules", Path("/srv/schedules/extra.toml"))
    dana = settings.person("Dana Reyes")
    assert dana == Person("Dana Reyes", True, ("Dana R", "+1 619 555 0142"),
                          ("dana.reyes@agency.example.gov", "+1 202 555 0190"),
                          "America/Los_Angeles", "capstone-official")
    assert settings.person("Luis Ortega").custodian is False   # custodian defaults to false
    assert settings.person("Nobody") is None
    drop, mailbox = settings.sources
    assert (drop.path, drop.channel, drop.custodian, drop.timezone, drop.date_order,
            drop.chat) == (CONFIGS / "drop" / "dana", "device", "Dana Reyes",
                           "America/Phoenix", "MDY", "Port Ops")
    assert (mailbox.path, mailbox.custodian) == (Path("/srv/mailbox"), None)


def test_settings_are_frozen(tmp_path):
    settings = load(tmp_path, DANA)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.window_days = 30  # type: ignore[misc]
    assert isinstance(settings.people, tuple) and isinstance(settings.people[0].aliases, tuple)


def test_every_problem_is_reported_in_file_order():
    with pytest.raises(ConfigProblems) as caught:
        load_settings(CONFIGS / "every_problem.toml", environ={},
                      known_schedules=lambda base, paths: {"nara-grs"})
    found = [(p.line, str(p).split(": ", 1)[1]) for p in caught.value.problems]
    expected = [
        (4, "[archive] database: unsupported database driver 'mysql'"),
        (5, "[archive] timezon: unknown key (allowed: database, vault, timezone)"),
        (8, "[compliance] window_days: 30 days is laxer than 44 U.S.C. § 2911(a)(2)"),
        (9, "[compliance] scope: 'everything' is not one of: sent, sent+received"),
        (10, "[compliance] as_of: '21/03/2024' is not a date"),
        (13, "[schedules] use: unknown schedule id 'nara-gr' (known: nara-grs)"),
        (17, '[[people]] "Dana Reyes" custodian: must be true or false'),
        (19, "[[people]] \"Dana Reyes\" timezone: unknown time zone 'America/Las_Angeles'"),
        (22, ('[[people]] "Dana Reyes" name: a second person of this name (the first is at '
              "line 16)")),
        (27, ("[[people]] \"Marcus Bell\" aliases: '+16195550142' is already claimed by "
              "'Dana Reyes' (as '+1 (619) 555-0142', line 18)")),
        (28, '[[people]] "Marcus Bell" roles: unknown key (allowed: name, custodian, '),
        (30, "[[people]] #4 name: required"),
        (41, "[[sources]] \"drop/dana\" date_order: 'DDMMYY' is not one of: DMY, MDY, YMD"),
        (45, "[[sources]] \"drop/marcus\" channel: 'phone' is not one of: device, official"),
        (50, "[[sources]] \"drop/ghost\" custodian: no [[people]] entry is named 'Ghost'"),
        (52, "[[sources]] #4 path: required"),
        (58, "[[sources]] \"drop/priya\" custodian: 'Priya Nair' is not a custodian"),
        (60, "unknown top-level table 'exports' (allowed tables: archive, compliance, "),
    ]
    assert len(found) == len(expected), "\n".join(m for _, m in found)
    for (line, message), (want_line, want) in zip(found, expected, strict=True):
        assert (line, message[:len(want)]) == (want_line, want)
    error = caught.value
    assert isinstance(error, ConfigError) and error.exit_code == 2
    assert error.message == f"{len(expected)} problems in the configuration"
    lines = str(error).splitlines()
    assert len(lines) == len(expected)
    assert lines[0].startswith(f"{CONFIGS / 'every_problem.toml'}:4: [archive] database: ")


def test_a_toml_syntax_error_is_one_problem_with_its_line():
    with pytest.raises(ConfigProblems) as caught:
        load_settings(CONFIGS / "not_toml.toml", environ={})
    (only,) = caught.value.problems
    assert only.line == 5 and "not valid TOML" in only.message
    assert str(caught.value).startswith(f"{CONFIGS / 'not_toml.toml'}:5: ")


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "retainer.toml"
    path.write_bytes(b'[archive]\ntimezone = "Europe/Z\xfcrich"\n')
    with pytest.raises(ConfigProblems) as caught:
        load_settings(path, environ={})
    (only,) = caught.value.problems
    assert (only.line, only.message) == (2, "not UTF-8 text")


# --- which file, which database ----------------------------------------------------------

@pytest.fixture
def three_files(tmp_path):
    """A ./retainer.toml, one named by RETAINER_CONFIG and one named by --config."""
    for name in ("here", "env", "option"):
        write(tmp_path, f'[archive]\nvault = "{name}"\n', f"{name}/retainer.toml")
    (tmp_path / "here" / "retainer.toml").rename(tmp_path / "retainer.toml")
    return tmp_path


def test_config_option_first(three_files):
    settings = load_settings("option/retainer.toml", cwd=three_files,
                             environ={"RETAINER_CONFIG": "env/retainer.toml"})
    assert settings.config_path == three_files / "option" / "retainer.toml"
    assert settings.vault == three_files / "option" / "option"


def test_then_the_environment(three_files):
    settings = load_settings(None, cwd=three_files,
                             environ={"RETAINER_CONFIG": "env/retainer.toml"})
    assert settings.config_path == three_files / "env" / "retainer.toml"


def test_then_the_working_folder(three_files):
    settings = load_settings(None, cwd=three_files, environ={"RETAINER_CONFIG": ""})
    assert settings.config_path == three_files / "retainer.toml"
    assert settings.vault == three_files / "here"


def test_then_the_defaults(tmp_path):
    settings = load_settings(None, cwd=tmp_path, environ={})
    assert settings == Settings(
        config_path=None, database_url=f"sqlite:///{tmp_path / 'retainer.db'}",
        vault=tmp_path / "vault", timezone="UTC", window_days=20, scope="sent",
        schedules=("nara-grs",), schedule_paths=(), as_of=None, people=(), sources=())


@pytest.mark.parametrize("config, environ, named", [
    ("missing.toml", {}, "--config"),
    (None, {"RETAINER_CONFIG": "missing.toml"}, "RETAINER_CONFIG"),
])
def test_a_named_file_must_exist(tmp_path, config, environ, named):
    write(tmp_path, "")      # a ./retainer.toml is no fallback for a file asked for by name
    with pytest.raises(ConfigProblems) as caught:
        load_settings(config, cwd=tmp_path, environ=environ)
    assert str(caught.value) == f"missing.toml: configuration file not found (named by {named})"


def test_database_precedence(tmp_path):
    write(tmp_path, '[archive]\ndatabase = "sqlite:///from-file.db"\n', "conf/retainer.toml")
    env = {"RETAINER_DATABASE_URL": "sqlite:///from-env.db"}
    config = tmp_path / "conf" / "retainer.toml"

    def url(**options):
        return load_settings(config, cwd=tmp_path, **options).database_url

    assert url(database_url="sqlite:///from-option.db", environ=env) == (
        f"sqlite:///{tmp_path / 'from-option.db'}")
    assert url(environ=env) == f"sqlite:///{tmp_path / 'from-env.db'}"
    assert url(environ={}) == f"sqlite:///{tmp_path / 'conf' / 'from-file.db'}"
    config.write_text("")
    assert url(environ={}) == f"sqlite:///{tmp_path / 'conf' / 'retainer.db'}"


def test_urls_that_are_not_files_are_kept(tmp_path):
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:////srv/archive.db",
                "postgresql+psycopg://retainer@db.example/records", "postgresql://db/records"):
        settings = load_settings(None, database_url=url, cwd=tmp_path, environ={})
        assert settings.database_url == url
        assert settings.vault == (Path("/srv/vault") if "srv" in url else tmp_path / "vault")


def test_relative_paths_are_relative_to_the_file(tmp_path):
    settings = load(tmp_path / "etc", DANA + """
        [archive]
        vault = "../var/vault"
        [schedules]
        paths = ["schedules"]
        [[sources]]
        path = "drop/dana"
        channel = "device"
        custodian = "Dana Reyes"
        """, cwd=tmp_path)
    assert settings.vault == tmp_path / "var" / "vault"
    assert settings.schedule_paths == (tmp_path / "etc" / "schedules",)
    assert settings.sources[0].path == tmp_path / "etc" / "drop" / "dana"
    assert settings.database_url == f"sqlite:///{tmp_path / 'etc' / 'retainer.db'}"


def test_vault_defaults_to_beside_the_database(tmp_path):
    settings = load(tmp_path, '[archive]\ndatabase = "sqlite:///data/archive.db"\n')
    assert settings.vault == tmp_path / "data" / "vault"


@pytest.mark.parametrize("url, shown", [
    ("postgresql+psycopg://retainer:s3cret@db.example/records",
     "postgresql+psycopg://retainer:***@db.example/records"),
    ("postgresql+psycopg://retainer@db.example/records?password=s3cret",
     "postgresql+psycopg://retainer@db.example/records?password=***"),
    ("sqlite:////srv/archive.db", "sqlite:////srv/archive.db"),
    ("not a url", "<not a database URL>"),
    ("postgresql+psycopg://bob:pa@ss:w0rd@host/db", "<not a database URL>"),  # ValueError
    ("postgresql+psycopg://records:p@ss@db:5432/records", "<not a database URL>"),
    ("postgresql+psycopg://records:p%40ss@db:5432/records",
     "postgresql+psycopg://records:***@db:5432/records"),
])
def test_passwords_are_masked(url, shown):
    assert redact_url(url) == shown


def test_settings_mask_their_password(tmp_path):
    settings = load(tmp_path, '[archive]\ndatabase = "postgresql://u:s3cret@h/db"\n')
    assert settings.database_url == "postgresql://u:s3cret@h/db"   # the real URL, to connect
    assert "s3cret" not in settings.redacted_url()


# --- one rule each -------------------------------------------------------------------------

def test_unknown_top_level_key(tmp_path):
    found = problem(tmp_path, '# comment\nwindow_days = 20\n[archive]\n')
    assert found.line == 2 and "unknown top-level key 'window_days'" in found.message


def test_unknown_key_lists_the_allowed_ones(tmp_path):
    found = problem(tmp_path, '[compliance]\nscope = "sent"\nwindow = 20\n')
    assert found.line == 3
    assert found.message == ("[compliance] window: unknown key "
                             "(allowed: window_days, scope, as_of)")
    assert str(found) == f"{tmp_path / 'retainer.toml'}:3: {found.message}"


def test_unknown_key_in_the_second_of_several_tables(tmp_path):
    found = problem(tmp_path, DANA + '\n[[people]]\nname = "Luis Ortega"\nalias = ["Luis"]\n')
    assert found.line == 10 and found.message.startswith('[[people]] "Luis Ortega" alias: ')


def test_a_table_written_as_a_value(tmp_path):
    found = problem(tmp_path, 'archive = "sqlite:///x.db"\n')
    assert found.line == 1 and "archive: must be a table" in found.message
    found = problem(tmp_path, '[people]\nname = "Dana"\n')
    assert found.line == 1 and "must be an array of tables ([[people]])" in found.message


@pytest.mark.parametrize("text, line, message", [
    ('[[people]]\ncustodian = true\n', 1, "[[people]] #1 name: required"),
    ('[[people]]\nname = " "\n', 2, '[[people]] #1 name: required (not blank)'),
    ('[[sources]]\nchannel = "official"\n', 1, "[[sources]] #1 path: required"),
    ('[[sources]]\npath = "mailbox"\n', 1, '[[sources]] "mailbox" channel: required'),
])
def test_required_keys(tmp_path, text, line, message):
    found = problem(tmp_path, text)
    assert (found.line, found.message) == (line, message)


@pytest.mark.parametrize("text, line, message", [
    ('[[people]]\nname = "Dana"\naliases = "Dana R"\n', 3,
     '[[people]] "Dana" aliases: must be a list of strings'),
    ('[[people]]\nname = "Dana"\nofficial_accounts = ["a@b.gov", 2]\n', 3,
     '[[people]] "Dana" official_accounts: must be a list of strings'),
    ('[[people]]\nname = "Dana"\ncustodian = "yes"\n', 3,
     '[[people]] "Dana" custodian: must be true or false'),
    ('[[people]]\nname = 7\n', 2, "[[people]] #1 name: must be a string"),
    ('[compliance]\nwindow_days = "20"\n', 2, "[compliance] window_days: must be an integer"),
    ('[compliance]\nwindow_days = true\n', 2, "[compliance] window_days: must be an integer"),
    ('[archive]\ntimezone = 5\n', 2, "[archive] timezone: must be a string"),
    ('[schedules]\npaths = "schedules"\n', 2, "[schedules] paths: must be a list of strings"),
])
def test_types(tmp_path, text, line, message):
    found = problem(tmp_path, text)
    assert (found.line, found.message) == (line, message)


@pytest.mark.parametrize("text, line, label", [
    ('[archive]\ntimezone = "Mars/Olympus_Mons"\n', 2, "[archive] timezone"),
    ('[archive]\ntimezone = "utc"\n', 2, "[archive] timezone"),
    ('[archive]\ntimezone = "America"\n', 2, "[archive] timezone"),
    ('[archive]\ntimezone = "../etc/passwd"\n', 2, "[archive] timezone"),
    ('[[people]]\nname = "Dana Reyes"\ntimezone = "America/Las_Angeles"\n', 3,
     '[[people]] "Dana Reyes" timezone'),
    ('[[sources]]\npath = "mailbox"\nchannel = "official"\ntimezone = "PST"\n', 4,
     '[[sources]] "mailbox" timezone'),
])
def test_time_zones_are_iana_names(tmp_path, text, line, label):
    found = problem(tmp_path, text)
    assert found.line == line and found.message.startswith(f"{label}: unknown time zone '")


def test_a_known_time_zone(tmp_path):
    assert load(tmp_path, '[archive]\ntimezone = "Asia/Kolkata"\n').timezone == "Asia/Kolkata"


def test_channel(tmp_path):
    found = problem(tmp_path, '[[sources]]\npath = "x"\nchannel = "Device"\n')
    assert (found.line, found.message) == (
        3, "[[sources]] \"x\" channel: 'Device' is not one of: device, official")


def test_a_device_source_needs_a_custodian(tmp_path):
    found = problem(tmp_path, DANA + '\n[[sources]]\npath = "drop"\nchannel = "device"\n')
    assert found.line == 8
    assert found.message.startswith('[[sources]] "drop" custodian: required for a device source')


def test_an_official_source_may_name_no_custodian(tmp_path):
    settings = load(tmp_path, '[[sources]]\npath = "mailbox"\nchannel = "official"\n')
    assert settings.sources[0].custodian is None


def test_a_source_naming_an_unknown_custodian(tmp_path):
    found = problem(tmp_path, DANA + """
        [[sources]]
        path = "drop"
        channel = "official"
        custodian = "Dana Reyez"
        """)
    assert found.line == 11
    assert found.message == (
        "[[sources]] \"drop\" custodian: no [[people]] entry is named 'Dana Reyez'")


def test_a_source_naming_someone_who_is_not_a_custodian(tmp_path):
    found = problem(tmp_path, """
        [[people]]
        name = "Priya Nair"
        [[sources]]
        path = "drop"
        channel = "device"
        custodian = "Priya Nair"
        """)
    assert found.line == 7 and "'Priya Nair' is not a custodian" in found.message


@pytest.mark.parametrize("written, kept", [("MDY", "MDY"), ("dmy", "DMY"), ("YMD", "YMD")])
def test_date_order(tmp_path, written, kept):
    settings = load(tmp_path, f'[[sources]]\npath = "m"\nchannel = "official"\n'
                              f'date_order = "{written}"\n')
    assert settings.sources[0].date_order == kept


def test_a_bad_date_order(tmp_path):
    found = problem(tmp_path, '[[sources]]\npath = "m"\nchannel = "official"\n'
                              'date_order = "DD/MM"\n')
    assert found.line == 4 and found.message.startswith('[[sources]] "m" date_order: ')


def test_two_people_of_one_name(tmp_path):
    found = problem(tmp_path, '[[people]]\nname = "Dana"\n\n[[people]]\nname = "Dana"\n')
    assert (found.line, found.message) == (
        5, '[[people]] "Dana" name: a second person of this name (the first is at line 2)')


@pytest.mark.parametrize("first, second", [
    ('aliases = ["+1 (619) 555-0142"]', 'aliases = ["+16195550142"]'),
    ('aliases = ["Dana R"]', 'aliases = ["Dana\u00a0R"]'),
    ('official_accounts = ["Dana.Reyes@Agency.example.gov"]',
     'aliases = ["dana.reyes@agency.example.gov"]'),
    ('aliases = ["+1 619 555 0142"]', 'official_accounts = ["~ +1 619 555 0142"]'),
])
def test_an_account_claimed_by_two_people(tmp_path, first, second):
    found = problem(tmp_path, f'[[people]]\nname = "A"\n{first}\n\n'
                              f'[[people]]\nname = "B"\n{second}\n')
    assert found.line == 7
    assert found.message.startswith(f'[[people]] "B" {second.split()[0]}: ')
    assert "is already claimed by 'A' (as " in found.message and "line 3)" in found.message


def test_a_name_is_a_claim_too(tmp_path):
    # sync_people resolves a person's name as an alias: another person's alias may not be it.
    found = problem(tmp_path, '[[people]]\nname = "Dana Reyes"\n\n'
                              '[[people]]\nname = "Marcus Bell"\naliases = ["Dana Reyes"]\n')
    assert (found.line, found.message) == (
        6, "[[people]] \"Marcus Bell\" aliases: 'Dana Reyes' is already claimed by 'Dana Reyes' "
           "(as their name, line 2)")
    found = problem(tmp_path, '[[people]]\nname = "A"\naliases = ["Dana\u00a0Reyes"]\n\n'
                              '[[people]]\nname = "Dana Reyes"\n')
    assert (found.line, found.message) == (
        6, "[[people]] \"Dana Reyes\" name: 'Dana Reyes' is already claimed by 'A' "
           "(as 'Dana\\xa0Reyes', line 3)")  # repr shows the no-break space


def test_a_name_may_also_be_its_own_alias(tmp_path):
    settings = load(tmp_path, '[[people]]\nname = "Dana Reyes"\naliases = ["Dana Reyes"]\n')
    assert settings.people[0].aliases == ("Dana Reyes",)


def test_the_line_of_a_claimed_alias_in_a_long_list(tmp_path):
    found = problem(tmp_path, DANA + """
        [[people]]
        name = "Marcus Bell"
        aliases = [
            "Marcus",
            "Dana R",
        ]
        """)
    assert found.line == 12 and "'Dana R' is already claimed by 'Dana Reyes'" in found.message


def test_one_person_may_repeat_an_account(tmp_path):
    settings = load(tmp_path, '[[people]]\nname = "A"\naliases = ["+1 619 555 0142"]\n'
                              'official_accounts = ["+16195550142"]\n')
    assert settings.people[0].official_accounts == ("+16195550142",)


def test_case_matters_for_names(tmp_path):
    settings = load(tmp_path, '[[people]]\nname = "A"\naliases = ["Dana R"]\n'
                              '[[people]]\nname = "B"\naliases = ["dana r"]\n')
    assert len(settings.people) == 2


def test_an_empty_alias(tmp_path):
    found = problem(tmp_path, '[[people]]\nname = "A"\naliases = ["\u200e "]\n')
    assert found.line == 3 and found.message == '[[people]] "A" aliases: an empty account'


@pytest.mark.parametrize("url, says", [
    ("nonsense", "not a database URL"),
    ("mysql://retainer@db/records", "unsupported database driver 'mysql'"),
    ("postgresql+psycopg2://retainer@db/records", "'postgresql+psycopg2'"),
])
def test_a_bad_database_url_in_the_file(tmp_path, url, says):
    found = problem(tmp_path, f'[archive]\nvault = "v"\ndatabase = "{url}"\n')
    assert found.line == 3 and found.message.startswith("[archive] database: ")
    assert says in found.message


def test_a_bad_database_url_on_the_command_line_or_in_the_environment(tmp_path):
    with pytest.raises(ConfigProblems) as caught:
        load_settings(None, database_url="oracle://u:pw@h/x", cwd=tmp_path,
                      environ={"RETAINER_DATABASE_URL": "::"})
    assert [str(p) for p in caught.value.problems] == [
        ("--db: unsupported database driver 'oracle' (use one of: sqlite, sqlite+pysqlite, "
        "postgresql, postgresql+psycopg)"),
        ("RETAINER_DATABASE_URL: not a database URL (use sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST/DB)"),
    ]
    assert all(p.path is None and p.line is None for p in caught.value.problems)
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize("url, says", [
    ("postgresql+psycopg://bob:pa@ss:w0rd@host/db", "its port is not a number"),
    ("postgresql://u:optsecret@h:notaport/db", "its port is not a number"),
    ("postgresql+psycopg://records:p@ss@db:5432/records", "its host contains '@'"),
])
def test_a_url_with_an_unencoded_password_names_the_fix_and_never_the_password(tmp_path, url,
                                                                             says):
    found = problem(tmp_path, f'[archive]\nvault = "v"\ndatabase = "{url}"\n')
    assert found.line == 3 and found.message.startswith("[archive] database: not a database")
    assert says in found.message and "percent-encode '@'" in found.message
    for secret in ("pa@ss", "w0rd", "optsecret", "notaport", "p@ss", "ss@db"):
        assert secret not in str(found)
    with pytest.raises(ConfigProblems) as caught:
        load_settings(None, database_url=url, cwd=tmp_path / "elsewhere",
                      environ={"RETAINER_DATABASE_URL": url})
    assert [str(p).split(":")[0] for p in caught.value.problems] == [
        "--db", "RETAINER_DATABASE_URL"]
    assert all(says in str(p) for p in caught.value.problems)
    for secret in ("w0rd", "optsecret", "notaport", "ss@db"):
        assert secret not in str(caught.value)


def test_scope(tmp_path):
    assert load(tmp_path, '[compliance]\nscope = "sent+received"\n').scope == "sent+received"
    found = problem(tmp_path, '[compliance]\nscope = "received"\n')
    assert (found.line, found.message) == (
        2, "[compliance] scope: 'received' is not one of: sent, sent+received")


@pytest.mark.parametrize("days", [1, 5, 20])
def test_window_days_may_be_stricter_than_the_statute(tmp_path, days):
    assert load(tmp_path, f"[compliance]\nwindow_days = {days}\n").window_days == days


def test_window_days_may_not_be_laxer_than_the_statute(tmp_path):
    found = problem(tmp_path, "[compliance]\nwindow_days = 21\n")
    assert found.line == 2 and found.message.startswith("[compliance] window_days: 21 days")
    assert "44 U.S.C. § 2911(a)(2)" in found.message


@pytest.mark.parametrize("days", [0, -3])
def test_window_days_at_least_one(tmp_path, days):
    found = problem(tmp_path, f"[compliance]\nwindow_days = {days}\n")
    assert found.line == 2 and "window_days" in found.message and "at least 1" in found.message


@pytest.mark.parametrize("written", ['"2024-03-21"', "2024-03-21"])
def test_as_of(tmp_path, written):
    assert load(tmp_path, f"[compliance]\nas_of = {written}\n").as_of == "2024-03-21"


@pytest.mark.parametrize("written", ['"2024-02-30"', '"20240321"', '"21/03/2024"',
                                     "2024-03-21T10:00:00", "20240321"])
def test_a_bad_as_of(tmp_path, written):
    found = problem(tmp_path, f"[compliance]\nas_of = {written}\n")
    assert found.line == 2 and found.message.startswith("[compliance] as_of: ")


def test_unknown_schedule_ids(tmp_path):
    text = '[schedules]\nuse = [\n  "nara-grs",\n  "example-agnecy",\n]\n'
    found = problem(tmp_path, text,
                    known_schedules=lambda base, paths: {"nara-grs", "example-agency"})
    assert (found.line, found.message) == (
        4, ("[schedules] use: unknown schedule id 'example-agnecy' "
           "(known: example-agency, nara-grs)"))
    assert load(tmp_path, text).schedules == ("nara-grs", "example-agnecy")   # not checked


def test_schedule_loading_errors_become_problems(tmp_path):
    def broken(base, paths) -> set[str]:
        raise ConfigError("bad category", path="schedules/x.toml", line=3)

    found = problem(tmp_path, "", known_schedules=broken)
    assert str(found) == "schedules/x.toml:3: bad category"


def test_no_schedule_at_all(tmp_path):
    found = problem(tmp_path, "[schedules]\nuse = []\n")
    assert found.line == 2 and found.message.startswith("[schedules] use: names no schedule")


# --- warnings ------------------------------------------------------------------------------

def test_a_missing_source_folder_is_a_warning_not_an_error(tmp_path):
    settings = load(tmp_path, DANA + """
        [[sources]]
        path = "drop/dana"
        channel = "device"
        custodian = "Dana Reyes"
        [schedules]
        paths = ["mine"]
        [[people]]
        name = "Marcus Bell"
        custodian = true
        """)
    warnings = path_warnings(settings)
    assert len(warnings) == 3
    assert str(tmp_path / "drop" / "dana") in warnings[0] and "does not exist" in warnings[0]
    assert str(tmp_path / "mine") in warnings[1]
    assert '"Marcus Bell": a custodian without official_accounts' in warnings[2]
    (tmp_path / "drop" / "dana").mkdir(parents=True)
    (tmp_path / "mine").mkdir()
    assert len(path_warnings(settings)) == 1


def test_the_engine_never_quotes_a_bad_url():
    from retainer.archive.engine import parse_url
    from retainer.errors import ArchiveError

    for url in ("postgresql://u:optsecret@h:notaport/db", "::optsecret"):
        with pytest.raises(ArchiveError) as caught:
            parse_url(url)
        assert "optsecret" not in str(caught.value)


@pytest.mark.parametrize("official", ["Dana Reyes", "Dana\u00a0Reyes"])
def test_a_persons_own_name_is_no_official_account(tmp_path, official):
    """Every message shown under the name would count as sent from an official account
    (exempt) and as an official account in the chat (copied): a silent false compliance.
    (An alias repeated as an official account is fine: test_one_person_may_repeat_an_account.)"""
    found = problem(tmp_path, f'[[people]]\nname = "Dana Reyes"\n'
                              f'official_accounts = ["{official}"]\n')
    assert found.line == 3
    assert "is 'Dana Reyes''s own name, which resolves authors as a personal account" \
        in found.message
