"""Stage 4: the run journal, its report and the record in the case file."""
