"""Benchmarks of biebvoucher. Run them with `make bench` or `python -m bench [PART ...]`."""
