"""`python -m retainer` runs the command-line interface."""

from retainer.cli import main

if __name__ == "__main__":
    main()
