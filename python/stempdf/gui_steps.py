"""Drive ParaView's GUI from a --script, one step at a time (for the
screenshot scripts under docs/).

The script cannot call into Qt directly, so the steps run from a repeating
timer on the active render view's interactor: one step per tick, with a pause
after each so the event loop can update the panels before the next one.
"""
import os
import subprocess
import time
import traceback


def sh(*args):
    """Run a command (xdotool, ImageMagick, ...); an error if it fails or takes over a minute."""
    subprocess.run(args, check=True, timeout=60)


def fill_screen():
    """Move ParaView's main window to the top left and size it to the whole
    screen (Xvfb has no window manager to do it)."""
    sh("sh", "-c", "xdotool search --name 'ParaView 5' | head -1 | "
                   "xargs -I{} xdotool windowmove {} 0 0 windowsize {} 100% 100%")


def screenshot(path):
    """The whole screen into `path` (ImageMagick's import). Returns `path`."""
    sh("import", "-window", "root", path)
    return path


def run_steps(steps, name, debug_shot=None, pause=1.5):
    """Run `steps` (callables) one per timer tick, `pause` seconds apart, then
    exit ParaView with status 0 (after printing "NAME: done"), or 1 when a
    step fails. With $SHOT_DEBUG set, `debug_shot(step_name)` runs after every
    step (a whole-screen picture, to find coordinates)."""
    from paraview import simple

    if os.environ.get("SHOT_DEBUG") and debug_shot is not None:
        steps = [s for step in steps for s in (step, lambda n=step.__name__: debug_shot(n))]
    state = {"i": 0, "next": time.perf_counter() + 1.0}

    def tick(obj, event):
        if time.perf_counter() < state["next"]:
            return
        if state["i"] == len(steps):
            print(f"{name}: done", flush=True)
            os._exit(0)
        step = steps[state["i"]]
        state["i"] += 1
        try:
            step()
        except Exception as exc:
            traceback.print_exc()
            print(f"{name}: step {getattr(step, '__name__', step)} failed: {exc}", flush=True)
            os._exit(1)
        state["next"] = time.perf_counter() + pause   # let the panels update

    try:
        interactor = simple.GetActiveView().GetInteractor()
        interactor.AddObserver("TimerEvent", tick)
        interactor.CreateRepeatingTimer(100)
    except Exception as exc:
        print(f"{name}: {exc}", flush=True)
        os._exit(1)
