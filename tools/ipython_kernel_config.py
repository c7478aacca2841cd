"""IPython kernel configuration for the kernels Jupyter starts from the compendium's virtual
environment: ``make install`` copies this file to ``.venv/etc/ipython/`` (IPython reads every
``ipython_kernel_config.py`` under ``sys.prefix/etc/ipython``), so it applies to the kernels of
``make book``, ``make pdf``, ``make test``, ``make lab`` and ``compendium run`` alike.

The kernel logs errors only. At every start ipykernel 7 logs a warning that it talks to Jupyter over
TCP without encryption: here that is the local loopback interface of one machine, with every message
signed by the key in the kernel's connection file (readable by its owner only), as Jupyter has always
run kernels; the warning tells a reader of a build log nothing they can act on. ``compendium run``
and ``make notebooks`` also pass ``--log-level=ERROR`` to the kernels they start, for installs
without this file (``pip install .``).
"""

c = get_config()  # noqa: F821 (IPython defines get_config while it reads this file)
c.IPKernelApp.log_level = "ERROR"
