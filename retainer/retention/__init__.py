"""Records schedules: load and check them, file messages by their rules, compute disposition.

(The package is named ``retention`` because ``schedules/`` is the data folder.)

* ``schedule`` — the schedule files: ``load_schedule``, ``find_schedules``, ``load_schedules``;
* ``rules`` — the rule engine: ``RuleBook.file(MessageFacts)`` → ``Filing``;
* ``disposition`` — cutoff + retention → eligibility and transfer dates;
* internal: ``validation`` (the checks of docs/schedules.md §7), ``toml_lines`` (the line
  numbers they report) and ``needles`` (the substring pre-test that keeps filing fast).
"""

from retainer.retention.disposition import (
    cutoff_end,
    eligible_on,
    transfer_due_on,
    transfer_on,
)
from retainer.retention.rules import Filing, MessageFacts, RuleBook
from retainer.retention.schedule import (
    Category,
    Retention,
    Rule,
    Schedule,
    ScheduleProblems,
    find_schedules,
    load_schedule,
    load_schedules,
)

__all__ = ["Category", "Filing", "MessageFacts", "Retention", "Rule", "RuleBook", "Schedule",
           "ScheduleProblems", "cutoff_end", "eligible_on", "find_schedules", "load_schedule",
           "load_schedules", "transfer_due_on", "transfer_on"]
