"""The front-of-house tablet (signed-in runners) and the pick-up board (a signed link)."""
