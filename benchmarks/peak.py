"""Run a management command and print the process's peak resident size (VmHWM, which starts
afresh at exec, unlike ru_maxrss, which counts the forked parent's pages) as its last line."""

import runpy
import sys
from pathlib import Path

MANAGE = Path(__file__).resolve().parents[1] / "manage.py"

if __name__ == "__main__":
    sys.argv = [str(MANAGE), *sys.argv[1:]]
    sys.path.insert(0, str(MANAGE.parent))
    try:
        runpy.run_path(str(MANAGE), run_name="__main__")
    finally:
        status = Path("/proc/self/status").read_text()
        peak_kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
        print(f"PEAK_KB {peak_kb}")
