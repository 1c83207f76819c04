"""Business rules of the petition and complaint tracker: aggregates, events, policies.

Pure Python: no framework, no I/O, no clock. Time is always passed in.
"""
