"""Investigators' tools: full-text search, threads in context, hand-over exports, and the
access log that records every look (issue 7; docs/search.md).

Modules: ``tokens`` (the words search sees), ``query`` (the query language), ``index`` (the
full-text index the import keeps), ``filters`` and ``engine`` (one search for SQLite and
PostgreSQL), ``excerpt``, ``dates``, ``thread``, ``mail``/``page``/``handover`` (export
packages and their verification), ``access`` (the audit log of investigator actions, and
each action run and recorded) and ``render`` (terminal lines).
Only the ``access.logged_*`` functions open transactions (each action reads, then commits its
audit entry); everything else works in the session it is given and never commits.
"""
