"""Bounces: what became of each message after the server accepted it."""
