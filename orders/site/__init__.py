"""The start page at `/`: what this installation is, where everything is, and for a
manager the state of the restaurant's screens."""
