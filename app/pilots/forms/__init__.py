"""The pilot's forms, by what the person is doing: describing it (pilot.py), setting measures and
reporting the outcome (measures.py), and changing its course (lifecycle.py)."""
