"""The application core: connect to a target, plan, gate and apply. Every entry point (the
command line, the bench, tests) goes through it."""
