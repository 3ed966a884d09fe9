"""`python -m evaluator` is the `easeval` command."""

from evaluator.cli import main

if __name__ == "__main__":
    main()
