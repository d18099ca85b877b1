"""What drives a KDS from outside: the simulator, the demo restaurant, history seeding and
the benchmark. The product never imports this package (the import contract in `make lint`).
"""
