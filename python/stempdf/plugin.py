"""Find and load the STEMPDF ParaView plugin."""
import os

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_PLUGIN = os.path.join(_ROOT, "build", "lib", "paraview-plugins", "STEMPDF", "STEMPDF.so")


def plugin_path():
    """The plugin library: $STEMPDF_PLUGIN, else the one built in build/."""
    path = os.environ.get("STEMPDF_PLUGIN", DEFAULT_PLUGIN)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"STEMPDF plugin not found at {path}: build it with scripts/setup "
            "or point STEMPDF_PLUGIN at STEMPDF.so")
    return path


def load(namespace):
    """Load the plugin into a paraview.simple namespace (e.g. globals())."""
    from paraview.simple import LoadPlugin
    LoadPlugin(plugin_path(), remote=False, ns=namespace)
