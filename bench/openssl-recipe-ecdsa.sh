# The seed's OpenSSL recipe with ECDSA P-256 keys instead of RSA: the same commands,
# except that the two `openssl genrsa` lines become `openssl genpkey` for P-256 (PKCS#8,
# the same key format aitls writes; `openssl ecparam -genkey` measured the same within
# noise). `set -e` only makes a failing step fail the benchmark.
set -e

# Create certificate directory
mkdir -p ai/certs
cd ai/certs

# Generate CA key and certificate
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
openssl req -new -x509 -days 365 -key ca.key -out ca.crt \
  -subj "/CN=AI Services CA"

# Generate server key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key

# Generate CSR
openssl req -new -key server.key -out server.csr \
  -subj "/CN=localhost"

# Create SAN extension file
cat > san.ext << EOF
subjectAltName = DNS:localhost, IP:127.0.0.1
EOF

# Sign certificate
openssl x509 -req -days 365 -in server.csr \
  -CA ca.crt -CAkey ca.key -CAcreateserial \
  -out server.crt -extfile san.ext

# Verify
openssl verify -CAfile ca.crt server.crt
