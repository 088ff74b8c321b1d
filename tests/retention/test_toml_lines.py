"""The locator that gives tomllib's data the line numbers it lacks."""

from __future__ import annotations

import tomllib

from retainer.retention.toml_lines import key_lines

from .conftest import SHIPPED

TEXT = '''\
# comment = 1
a."b.c" = 1  # x
"q\\"k" = "x\\"y"
s = """multi
key = 2
""""
[t]
x = [ 1, # c
  { y = 2, z = [3,
  4] }, ]
[[aot]]
[aot.sub]
w = 1
[[aot]]
w = 'lit'
d = 1979-05-27 07:32:00
'''


def paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield prefix + (key,)
            yield from paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield prefix + (index,)
            yield from paths(value, prefix + (index,))


def test_every_key_and_element_is_located():
    lines = key_lines(TEXT)
    assert all(path in lines for path in paths(tomllib.loads(TEXT)))
    assert lines.of(("a", "b.c")) == 2
    assert lines.of(('q"k',)) == 3
    assert lines.of(("t", "x", 1, "z", 1)) == 10
    assert lines.of(("aot", 0, "sub", "w")) == 13
    assert lines.of(("aot", 1)) == 14
    assert lines.of(("aot", 1, "d")) == 16


def test_text_inside_multi_line_strings_is_not_a_key():
    assert ("key",) not in key_lines(TEXT)


def test_a_missing_path_falls_back_to_its_table_then_line_1():
    lines = key_lines(TEXT)
    assert lines.of(("aot", 1, "missing")) == 14
    assert lines.of(("nowhere",)) == 1


def test_the_shipped_schedules_are_fully_located():
    for path in sorted(SHIPPED.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        lines = key_lines(text)
        located = list(paths(tomllib.loads(text)))
        assert located and all(p in lines for p in located), path
        rows = text.splitlines()
        for key_path in located:
            if isinstance(key_path[-1], str):  # a key: its line starts with it (or a table)
                row = rows[lines.of(key_path) - 1]
                assert key_path[-1] in row or "[[" in row, (key_path, row)
