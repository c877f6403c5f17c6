"""Stage 2: the member directory, read-only: who the mail goes to."""
