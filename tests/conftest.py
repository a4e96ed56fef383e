import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# tests/fixtures holds notebooks graded by tests (the seed tutorial fails on purpose): nbval must
# not run them
collect_ignore = ["fixtures"]
