"""docket: the case model and its rendering (no MkDocs, no click here)."""
