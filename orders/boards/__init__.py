"""What each screen shows (selectors): pure functions of the database, and their renders.

- `station.board(station)` — a prep station's tickets and all-day counts
- `expo.expo_board(station)` — whole orders, for an expo station
- `render.board_render(...)` — either of those rendered once per change and shared
- `front_of_house.foh_board(restaurant)` — ready orders, the longest waiting first
- `pickup.pickup_board(restaurant)` — numbers for customers
"""
