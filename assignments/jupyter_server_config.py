"""Jupyter server settings for the instructor's grading session (the formgrader).

Start it from this folder with ``jupyter lab --config=jupyter_server_config.py`` (runbook, section 2):
Jupyter does not read a server configuration from the current folder by itself.

Defence in depth only: learners' Markdown and outputs are already made inert before the formgrader
shows them (spinecourse/grading/sanitize.py). If something still ran in this page, it could not open a
terminal, and the browser would not let it send anything to another site or load code from one.
"""

c = get_config()  # noqa: F821 (provided by traitlets)

# A script running in the instructor's page must not get a shell.
c.ServerApp.terminals_enabled = False
c.ServerApp.ip = "127.0.0.1"

# The formgrader's own pages use inline scripts and onclick handlers, so 'unsafe-inline' stays; what the
# policy removes: requests to any other origin (no exfiltration by fetch, image or form), plugins,
# <base> rewriting, framing by other sites. MathJax is the only outside script the formgrader loads.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' https://cdnjs.cloudflare.com",
        "style-src 'self' 'unsafe-inline' https://cdnjs.cloudflare.com",
        "font-src 'self' data: https://cdnjs.cloudflare.com",
        "img-src 'self' data: blob:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": CSP}}
