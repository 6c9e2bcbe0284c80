"""Writes on case data. Every function is keyword-only, runs in a transaction, and records both a
timeline event (for the team) and an audit event (who did what; never field values).

One module per aggregate: ``cases`` (case, team, consent), ``conferences``, ``referrals``,
``documents``.
"""
