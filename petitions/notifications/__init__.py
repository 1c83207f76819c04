"""Escalation emails: who gets them (``recipients``), their text (``message``), and the sender.

The outbox they leave through is ``projections.outbox``; who is told at each level, and in
what words, is the escalation ladder in ``domain.deadline``.
"""
