"""The kitchen's rules: pure functions that read and decide, never write.

Routing (which stations a line goes to), courses and pacing (when a line is
fired), readiness (what state a line and an order are in) and speech (what
is said out loud). Intake, the actions and the boards all ask these, so each
rule has one source.
"""
