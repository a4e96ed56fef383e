"""Stop `make setup` at once, in one line, when the Python found cannot install the pinned
requirements.

    python tools/check_python.py [--venv]

requirements.txt pins TensorFlow 2.21 (wheels for Python 3.10-3.13 only) and numpy 2.4 / IPython 9
(3.11 or later), so the lab supports Python 3.11-3.13. Written to run on any Python (no f-strings),
since the point is to say something useful on the wrong one.
"""

import sys

SUPPORTED = ((3, 11), (3, 13))


def main(argv):
    version = sys.version_info[:2]
    low, high = SUPPORTED
    if low <= version <= high:
        return 0
    found = "%d.%d" % version
    where = sys.executable or "python"
    if "--venv" in argv:
        print(
            ".venv was made with Python %s (%s), outside %d.%d-%d.%d; remove it and choose "
            "another: make clean && make setup PYTHON=python3.12" % ((found, where) + low + high)
        )
    else:
        print(
            "Python %s (%s) is outside the supported %d.%d-%d.%d; choose another: "
            "make PYTHON=python3.12 (or python3.11, python3.13)" % ((found, where) + low + high)
        )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
