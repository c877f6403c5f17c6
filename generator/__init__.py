"""docket: the case model and its rendering (no site generator nor click: see plugin.py)."""
