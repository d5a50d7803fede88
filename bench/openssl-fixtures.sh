# The fourteen cases of `aitls fixtures` made with the openssl command line (OpenSSL 3.0,
# ECDSA P-256), as a test suite would script them by hand: one CA, then per case a key, a
# CSR and a signature. The two cases with dates in the past or the future need `openssl
# ca` (OpenSSL 3.0's `x509 -req` has no -not_before/-not_after) and its database files.
# No manifest: nothing here knows what each client does with a case. `set -e` only makes a
# failing step fail the benchmark. Run in an empty directory.
set -e

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() { # dir cn [extensions]
    key "$1/ca.key"
    openssl req -new -x509 -days 3650 -key "$1/ca.key" -out "$1/ca.crt" -subj "/CN=$2" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" ${3:+-addext "$3"}
}
# case dir cn san eku days [ca dir]
leaf() {
    local d=$1 cn=$2 san=$3 eku=$4 days=$5 by=${6:-.}
    mkdir -p "$d"
    key "$d/server.key"
    openssl req -new -key "$d/server.key" -out "$d/server.csr" -subj "/CN=$cn"
    {
        echo "basicConstraints=CA:FALSE"
        echo "keyUsage=critical,digitalSignature"
        echo "extendedKeyUsage=$eku"
        [ -n "$san" ] && echo "subjectAltName=$san"
        echo "subjectKeyIdentifier=hash"
        echo "authorityKeyIdentifier=keyid"
    } >"$d/ext.cnf"
    openssl x509 -req -days "$days" -in "$d/server.csr" -CA "$by/ca.crt" -CAkey "$by/ca.key" \
        -CAcreateserial -out "$d/server.crt" -extfile "$d/ext.cnf" 2>/dev/null
    [ -f "$d/ca.crt" ] || cp ca.crt "$d/ca.crt"
}

ca . "fixtures CA" "keyUsage=critical,keyCertSign,cRLSign"
leaf good localhost DNS:localhost serverAuth 365
leaf wrong-host wrong.fixtures.test DNS:wrong.fixtures.test serverAuth 365
mkdir -p untrusted-ca/other && ca untrusted-ca/other "another CA" "keyUsage=critical,keyCertSign,cRLSign"
leaf untrusted-ca localhost DNS:localhost serverAuth 365 untrusted-ca/other
cp untrusted-ca/other/ca.crt untrusted-ca/other-ca.crt
mkdir -p self-signed && key self-signed/server.key
openssl req -new -x509 -days 365 -key self-signed/server.key -out self-signed/server.crt \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" -addext "basicConstraints=CA:FALSE"
cp ca.crt self-signed/ca.crt
leaf issuer-not-ca/not-ca not-a-ca DNS:not-a-ca.fixtures.test serverAuth 365
cp issuer-not-ca/not-ca/server.crt issuer-not-ca/not-ca/ca.crt
cp issuer-not-ca/not-ca/server.key issuer-not-ca/not-ca/ca.key
leaf issuer-not-ca localhost DNS:localhost serverAuth 365 issuer-not-ca/not-ca
cat issuer-not-ca/not-ca/ca.crt >>issuer-not-ca/server.crt
cp ca.crt issuer-not-ca/ca.crt
leaf no-san localhost "" serverAuth 365
leaf client-only-eku localhost DNS:localhost clientAuth 365
leaf key-mismatch localhost DNS:localhost serverAuth 365
key key-mismatch/server.key
mkdir -p ca-without-keyusage/ca && ca ca-without-keyusage/ca "CA without keyUsage"
leaf ca-without-keyusage localhost DNS:localhost serverAuth 365 ca-without-keyusage/ca
cp ca-without-keyusage/ca/ca.crt ca-without-keyusage/ca.crt
leaf too-long localhost DNS:localhost serverAuth 826
leaf wildcard '*.fixtures.test' 'DNS:*.fixtures.test' serverAuth 365
leaf ip-only 127.0.0.1 IP:127.0.0.1 serverAuth 365

# expired and not-yet-valid: `openssl ca` with explicit dates.
touch index.txt
cat >ca.cnf <<CNF
[ca]
default_ca = fx
[fx]
database = index.txt
unique_subject = no
new_certs_dir = .
serial = ca.srl
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = ext
[any]
commonName = supplied
[ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
CNF
dated() { # dir start end
    mkdir -p "$1"
    key "$1/server.key"
    openssl req -new -key "$1/server.key" -out "$1/server.csr" -subj "/CN=localhost"
    openssl ca -batch -config ca.cnf -cert ca.crt -keyfile ca.key -in "$1/server.csr" \
        -out "$1/server.crt" -startdate "$2" -enddate "$3" -notext 2>/dev/null
    cp ca.crt "$1/ca.crt"
}
dated expired "$(date -u -d '-395 days' +%Y%m%d%H%M%SZ)" "$(date -u -d '-30 days' +%Y%m%d%H%M%SZ)"
dated not-yet-valid "$(date -u -d '+365 days' +%Y%m%d%H%M%SZ)" "$(date -u -d '+730 days' +%Y%m%d%H%M%SZ)"
