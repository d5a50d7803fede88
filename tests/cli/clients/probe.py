"""The Python ssl client, as httpx/requests/urllib use it: create_default_context(cafile),
optionally with VERIFY_X509_STRICT (what Python >= 3.13 sets by default).
Usage: probe.py default|strict CAFILE HOST PORT. Exit 0 when the handshake verifies.
Or: probe.py keypair CERT KEY. Exit 0 when a Python server (load_cert_chain) loads them."""
import socket
import ssl
import sys

if sys.argv[1] == "keypair":
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(sys.argv[2], sys.argv[3])
    except Exception as e:
        print(f"{type(e).__name__}: {e}")
        sys.exit(1)
    sys.exit(0)

mode, cafile, host, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
try:
    ctx = ssl.create_default_context(cafile=cafile)
    if mode == "strict":
        ctx.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with ctx.wrap_socket(sock, server_hostname=host):
            pass
except Exception as e:  # any refusal: verification, loading the CA file, the handshake
    print(f"{type(e).__name__}: {e}")
    sys.exit(1)
