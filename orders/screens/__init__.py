"""The wall screens (station and expo): pairing, the screen protocol, consumers and views."""
