"""`python -m fashion ...`: the command line (fashion/cli/)."""
import sys

from fashion.cli.main import main, quit_now

if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:   # Ctrl-C while Python is still starting up the command
        quit_now("\ninterrupted")
