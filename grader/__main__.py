import sys

from grader.cli import main
from grader.grading import cleanup

if __name__ == "__main__":
    # Here, not in main(): only the grader's own process (not a caller of main()) stops on SIGTERM
    # and SIGHUP as on Ctrl-C; killed by CI or a closed terminal, it still stops what it started.
    cleanup.stop_as_on_ctrl_c()
    sys.exit(main())
