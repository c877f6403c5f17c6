"""Stage 1: the action a ruling ordered, and the approval digest that pins it."""
