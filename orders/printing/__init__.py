"""Kitchen printers: what a printed ticket says, which printers print a change, the bytes.

Pure and read-only, like `orders.kitchen`: the writes (the job rows, in the transaction
of the change; sending them; reprints) are intake's and `orders.actions.printing`'s.

- `tickets.py`: a ticket as it is at the moment of a change, the job's payload.
- `plan.py`: which printers print it now (always, or backup while the screens are down).
- `layout.py`: the payload as rows of text, in the restaurant's language.
- `encode.py`: the rows as ESC/POS (python-escpos): text, or one raster image where the
  printer has no Chinese font (`raster.py`, with `fonts.py`).
- `transport.py`: the bytes to the printer's port 9100, with its paper status first.
"""
