"""If anything ever executed this file, it would leave a mark and end the interpreter."""
import os
import sys

with open(os.environ.get("EASEVAL_CANARY", "easeval-canary.txt"), "w") as handle:
    handle.write("this file was executed\n")
sys.exit(3)
