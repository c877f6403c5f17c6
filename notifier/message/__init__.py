"""Stage 3: composing each message from the approved templates, signing it (DKIM), and the
preflight findings on the rendered samples."""
