"""`python -m kubelite`: argument parsing and settings; each subcommand lives in its own module."""
