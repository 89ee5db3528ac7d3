"""One module per command: each registers its arguments and turns the core's results into output."""
