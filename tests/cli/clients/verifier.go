// The Go TLS client (crypto/tls + crypto/x509), as Traefik and Go services verify a server.
// Usage: verifier CAFILE HOST PORT. Exit 0 when the handshake verifies.
// Or: verifier keypair CERT KEY. Exit 0 when a Go server (tls.LoadX509KeyPair) loads them.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	if os.Args[1] == "keypair" {
		if _, err := tls.LoadX509KeyPair(os.Args[2], os.Args[3]); err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		return
	}
	ca, host, port := os.Args[1], os.Args[2], os.Args[3]
	pem, err := os.ReadFile(ca)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		fmt.Println("no certificate could be read from the CA file")
		os.Exit(1)
	}
	d := &net.Dialer{Timeout: 10 * time.Second}
	conn, err := tls.DialWithDialer(d, "tcp", net.JoinHostPort("127.0.0.1", port), &tls.Config{RootCAs: pool, ServerName: host})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	conn.Close()
}
