"""pvpython helpers of STEMPDF: loading the plugin and making pictures of maps.

The numerics live in the C++ plugin; this package only wires ParaView proxies
and views, so scripts, tests and the main job share one code path."""
