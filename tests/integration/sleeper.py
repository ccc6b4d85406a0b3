"""A silent process that only waits (a supervised child for tests/integration/test_supervisor.py)."""

import time

if __name__ == "__main__":
    time.sleep(600)
