"""Stage 5: handing messages to SMTP servers under the rate limit."""
