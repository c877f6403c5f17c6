"""Stage 3: composing each message from the approved templates."""
