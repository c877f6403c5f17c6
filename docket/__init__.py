"""The docket command line."""
