"""The benchmark harness: `make bench` writes bench/RESULTS.md."""
