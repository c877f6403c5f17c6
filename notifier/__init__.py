"""docket notifier: executes a case's mail action."""
