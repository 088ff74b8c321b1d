"""The HTML export: one self-contained page (inline style, no script, nothing fetched from the
network), autoescaped, streamed so that a whole chat never sits in memory as one string.

The template lives here rather than in a data file so that it ships with the module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import jinja2

from retainer.search.engine import Hit

TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>retainer export — {{ info.messages }} messages</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 52em; color: #111; }
header { border-bottom: 1px solid #ccc; margin-bottom: 1em; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dt { color: #555; } dd { margin: 0; }
h2 { font-size: 1.1em; margin: 1.5em 0 .3em; }
.day { color: #555; text-align: center; margin: 1em 0 .5em; font-size: .9em; }
.msg { margin: .3em 0; padding: .3em .6em; border-left: 3px solid #ddd; }
.msg .meta { color: #555; font-size: .85em; }
.msg .text { white-space: pre-wrap; overflow-wrap: anywhere; }
.system .text, .deleted .text { font-style: italic; color: #555; }
</style>
</head>
<body>
<header>
<h1>retainer export</h1>
<dl>
<dt>Messages</dt><dd>{{ info.messages }}</dd>
<dt>Selection</dt><dd><code>{{ info.selection }}</code></dd>
<dt>Operator</dt><dd>{{ info.operator }}</dd>
<dt>Created (UTC)</dt><dd>{{ info.created_at }}</dd>
<dt>Audit chain head</dt><dd><code>{{ info.audit_head }}</code></dd>
</dl>
<p>Times are local to each message's time zone; the UTC instant is in each line's title.
The SHA-256 of this file is listed in manifest.json.</p>
</header>
{% set state = namespace(chat=None, day=None) %}
{% for m in messages %}
{% if m.chat != state.chat %}{% set state.chat = m.chat %}{% set state.day = None %}
<h2>{{ m.chat }}</h2>
{% endif %}
{% if m.sent_at_local[:10] != state.day %}{% set state.day = m.sent_at_local[:10] %}
<div class="day">{{ state.day }}</div>
{% endif %}
<div class="msg {{ m.kind }}" id="m{{ m.message_id }}">
<div class="meta" title="{{ m.sent_at.isoformat() }}">{{ m.sent_at_local[11:] }}
{{- " " }}{{ m.timezone }} · {{ m.author or "notice" }}
{%- if m.person and m.person != m.author %} ({{ m.person }}){% endif %} · #{{ m.message_id }}
{%- if m.kind != "text" %} · {{ m.kind }}{% endif %}{% if m.edited %} · edited{% endif %}
{%- if m.attachment %} · {{ m.attachment }}{% endif %}</div>
<div class="text">{{ m.text }}</div>
</div>
{% endfor %}
</body>
</html>
"""


def render(messages: Iterable[Hit], info: dict[str, Any]) -> Iterator[str]:
    """The page in pieces; ``info`` gives messages, selection, operator, created_at and
    audit_head for the header."""
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                     undefined=jinja2.StrictUndefined)
    return environment.from_string(TEMPLATE).generate(messages=messages, info=info)
