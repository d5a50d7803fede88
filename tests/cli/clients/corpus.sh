#!/usr/bin/env bash
# Builds the differential corpus with real openssl: one directory per case under $1, each
# with ca.crt (what the client trusts), leaf.crt + key.pem (what s_server serves) and host
# (the name the client connects to). Good cases come from `aitls` (made by the Rust test
# beforehand); this script adds the crafted bad ones. Every command is plain openssl 3.
set -euo pipefail
out=$1
cd "$out"
ossl() { openssl "$@" 2>/dev/null; }

# A CA as the seed would make it, but sound: P-256, CA:TRUE critical, keyUsage, SKI.
mkca() { # dir keyspec extra-config-lines...
    local d=$1 spec=$2; shift 2
    mkdir -p "$d"
    ossl genpkey $spec -out "$d/ca.key"
    {
        printf '[req]\ndistinguished_name=dn\nprompt=no\nx509_extensions=ext\n[dn]\nCN=Corpus CA\n[ext]\n'
        printf '%s\n' "$@"
    } > "$d/ca.cnf"
    ossl req -x509 -new -key "$d/ca.key" -config "$d/ca.cnf" -days 3650 -sha256 -out "$d/ca.crt"
}
CA_GOOD=(basicConstraints=critical,CA:TRUE keyUsage=critical,keyCertSign,cRLSign subjectKeyIdentifier=hash)

# A leaf signed by CA dir $2: mkleaf dir ca keyspec host days digest serial ext-lines...
mkleaf() {
    local d=$1 ca=$2 spec=$3 host=$4 days=$5 md=$6 serial=$7; shift 7
    mkdir -p "$d"
    ossl genpkey $spec -out "$d/key.pem"
    printf '[ext]\n%s\n' "$@" > "$d/leaf.ext"
    ossl req -new -key "$d/key.pem" -subj "/CN=$host" -out "$d/leaf.csr"
    local mdopt=(); [ -n "$md" ] && mdopt=("-$md")
    ossl x509 -req -in "$d/leaf.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -set_serial "$serial" \
        -days "$days" "${mdopt[@]}" -extfile "$d/leaf.ext" -extensions ext -out "$d/leaf.crt"
    cp "$ca/ca.crt" "$d/ca.crt"
    echo "$host" > "$d/host"
    rm -f "$d/leaf.csr" "$d/leaf.ext"
}
EC="-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
LEAF_GOOD=(basicConstraints=CA:FALSE keyUsage=critical,digitalSignature,keyEncipherment extendedKeyUsage=serverAuth subjectKeyIdentifier=hash authorityKeyIdentifier=keyid)
san() { echo "subjectAltName=$1"; }

mkca _ca "$EC" "${CA_GOOD[@]}"
mkca _ca_noku "$EC" basicConstraints=critical,CA:TRUE subjectKeyIdentifier=hash
mkca _ca_crit "$EC" "${CA_GOOD[@]}" "1.3.6.1.4.1.55555.1=critical,ASN1:NULL"
mkca _ca_nc "$EC" "${CA_GOOD[@]}" "nameConstraints=critical,permitted;DNS:allowed.test"
mkca _ca_ed "-algorithm ED25519" "${CA_GOOD[@]}"
mkca _ca_rsa "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" "${CA_GOOD[@]}"
mkca _ca_noski "$EC" basicConstraints=critical,CA:TRUE keyUsage=critical,keyCertSign,cRLSign subjectKeyIdentifier=none authorityKeyIdentifier=none
mkca _ca_bcnc "$EC" basicConstraints=CA:TRUE keyUsage=critical,keyCertSign,cRLSign subjectKeyIdentifier=hash

mkleaf rsa1024 _ca "-algorithm RSA -pkeyopt rsa_keygen_bits:1024" localhost 365 sha256 0x5a01 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf sha1 _ca_rsa "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" localhost 365 sha1 0x5a02 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf serial_negative _ca "$EC" localhost 365 sha256 -0x5a03 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf serial_21_bytes _ca "$EC" localhost 365 sha256 0x5a0102030405060708090a0b0c0d0e0f1011121314 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf ca_no_key_usage _ca_noku "$EC" localhost 365 sha256 0x5a05 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf ca_critical_unknown _ca_crit "$EC" localhost 365 sha256 0x5a06 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf no_eku _ca "$EC" localhost 365 sha256 0x5a07 basicConstraints=CA:FALSE keyUsage=critical,digitalSignature subjectKeyIdentifier=hash authorityKeyIdentifier=keyid "$(san DNS:localhost)"
mkleaf client_auth_only _ca "$EC" localhost 365 sha256 0x5a08 basicConstraints=CA:FALSE keyUsage=critical,digitalSignature extendedKeyUsage=clientAuth subjectKeyIdentifier=hash authorityKeyIdentifier=keyid "$(san DNS:localhost)"
mkleaf any_eku _ca "$EC" localhost 365 sha256 0x5a09 basicConstraints=CA:FALSE keyUsage=critical,digitalSignature extendedKeyUsage=anyExtendedKeyUsage subjectKeyIdentifier=hash authorityKeyIdentifier=keyid "$(san DNS:localhost)"
mkleaf wildcard _ca "$EC" a.example.test 365 sha256 0x5a0a "${LEAF_GOOD[@]}" "$(san DNS:*.example.test)"
mkleaf partial_wildcard _ca "$EC" foo.example.test 365 sha256 0x5a0b "${LEAF_GOOD[@]}" "$(san DNS:f*.example.test)"
mkleaf underscore _ca "$EC" my_api.example.test 365 sha256 0x5a0c "${LEAF_GOOD[@]}" "$(san DNS:my_api.example.test)"
mkleaf name_constraints _ca_nc "$EC" localhost 365 sha256 0x5a0d "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf cn_only _ca "$EC" localhost 365 sha256 0x5a0e "${LEAF_GOOD[@]}"
mkleaf long_validity _ca "$EC" localhost 1000 sha256 0x5a0f "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf ed25519_ca _ca_ed "$EC" localhost 365 "" 0x5a10 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
mkleaf ed25519_leaf _ca "-algorithm ED25519" localhost 365 sha256 0x5a11 basicConstraints=CA:FALSE keyUsage=critical,digitalSignature extendedKeyUsage=serverAuth subjectKeyIdentifier=hash authorityKeyIdentifier=keyid "$(san DNS:localhost)"
mkleaf idn _ca "$EC" xn--bcher-kva.example.test 365 sha256 0x5a12 "${LEAF_GOOD[@]}" "$(san DNS:xn--bcher-kva.example.test)"
mkleaf ip_only _ca "$EC" 127.0.0.1 365 sha256 0x5a13 "${LEAF_GOOD[@]}" "$(san IP:127.0.0.1)"
# openssl x509 adds both key identifiers unless told `none`.
mkleaf no_aki _ca "$EC" localhost 365 sha256 0x5a14 basicConstraints=CA:FALSE keyUsage=critical,digitalSignature extendedKeyUsage=serverAuth subjectKeyIdentifier=none authorityKeyIdentifier=none "$(san DNS:localhost)"
mkleaf ca_no_ski _ca_noski "$EC" localhost 365 sha256 0x5a15 basicConstraints=CA:FALSE keyUsage=critical,digitalSignature extendedKeyUsage=serverAuth subjectKeyIdentifier=hash authorityKeyIdentifier=issuer "$(san DNS:localhost)"
mkleaf ca_bc_not_critical _ca_bcnc "$EC" localhost 365 sha256 0x5a16 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"

# An IP address written as a dNSName (what some scripts do): clients match an IP host
# against iPAddress names only.
mkleaf ip_as_dns_name _ca "$EC" 127.0.0.1 365 sha256 0x5a1a "${LEAF_GOOD[@]}" "$(san DNS:127.0.0.1)"

# keyUsage that does not fit the handshake: an RSA key without digitalSignature (TLS 1.3
# and ECDHE sign with it), an ECDSA key with keyAgreement only.
mkleaf rsa_ku_encipherment_only _ca_rsa "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" localhost 365 sha256 0x5a18 basicConstraints=CA:FALSE keyUsage=critical,keyEncipherment extendedKeyUsage=serverAuth subjectKeyIdentifier=hash authorityKeyIdentifier=keyid "$(san DNS:localhost)"
mkleaf ec_ku_key_agreement_only _ca "$EC" localhost 365 sha256 0x5a19 basicConstraints=CA:FALSE keyUsage=critical,keyAgreement extendedKeyUsage=serverAuth subjectKeyIdentifier=hash authorityKeyIdentifier=keyid "$(san DNS:localhost)"
mkleaf serial_zero _ca "$EC" localhost 365 sha256 0 "${LEAF_GOOD[@]}" "$(san DNS:localhost)"

# A 40 KiB certificate (1600 names): over Java's 32 KiB handshake message limit.
bigsan="DNS:localhost$(seq -f ',DNS:host%04g.example.test' 1 1600 | tr -d '\n')"
mkleaf big_certificate _ca "$EC" localhost 365 sha256 0x5a17 "${LEAF_GOOD[@]}" "subjectAltName=$bigsan"

# PEM quirks in the file the client trusts (the CA file): a UTF-8 BOM, CRLF line ends,
# text before the header, UTF-16.
for q in bom crlf text_before utf16; do
    mkleaf "pem_$q" _ca "$EC" localhost 365 sha256 0x5a2$((RANDOM % 10)) "${LEAF_GOOD[@]}" "$(san DNS:localhost)"
done
printf '\xef\xbb\xbf' | cat - _ca/ca.crt > pem_bom/ca.crt
sed 's/$/\r/' _ca/ca.crt > pem_crlf/ca.crt
{ echo "Corpus CA, made by corpus.sh"; cat _ca/ca.crt; } > pem_text_before/ca.crt
iconv -f UTF-8 -t UTF-16 _ca/ca.crt > pem_utf16/ca.crt
rm -rf _ca_*/ca.cnf _ca/ca.cnf
chmod 600 */key.pem
