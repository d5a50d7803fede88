//! OpenSSL 3 (`openssl`: curl, nginx, uvicorn and Python ≤ 3.12, llama-server, node) and
//! Python ≥ 3.13 (`python3.13`: the same library with `VERIFY_X509_STRICT`).
//!
//! Sources: OpenSSL 3.0 `crypto/x509/x509_vfy.c`, `crypto/x509/v3_purp.c`,
//! `crypto/x509/v3_utl.c`; Debian's `/etc/ssl/openssl.cnf` (`CipherString =
//! DEFAULT:@SECLEVEL=2`); CPython `Modules/_ssl.c` and `Lib/ssl.py` (3.13:
//! `create_default_context` sets `VERIFY_X509_STRICT` and `VERIFY_X509_PARTIAL_CHAIN`);
//! curl `lib/vtls/hostcheck.c`; node `lib/tls.js` (`checkServerIdentity`).

use super::facts::{Facts, SigHash};
use super::rules::{self, Matching};
use super::{Refusal, Rule};

/// The programs of the family that run the system OpenSSL at security level 2.
const LEVEL_2: &[&str] = &["openssl", "curl", "python"];
/// The programs that refuse partial wildcards.
const NO_PARTIAL: &[&str] = &["curl", "python"];

/// The rules of the `openssl` family.
pub(super) const RULES: &[Rule] = &[
    rules::shared_failure,
    security_level_2_key_size,
    sha1_signature,
    unknown_critical_extension,
    eku_server_auth,
    name_constraints,
    host_names,
    ca_file_utf16,
    certificate_list_size,
    key_encrypted,
    key_pkcs8_v2,
    server_file_utf16,
];

/// The rules of the `python3.13` family: OpenSSL's, for one program, plus strict mode.
pub(super) const STRICT_RULES: &[Rule] = &[
    rules::shared_failure,
    python_key_size,
    sha1_signature,
    unknown_critical_extension,
    strict_ca_basic_constraints_critical,
    strict_ca_key_usage,
    strict_ca_subject_key_identifier,
    strict_authority_key_identifier,
    eku_server_auth,
    name_constraints,
    python_host_names,
    ca_file_utf16,
    certificate_list_size,
    key_encrypted,
    key_pkcs8_v2,
    server_file_utf16,
];

/// RSA keys under 2048 bits anywhere in the chain (`EE_KEY_TOO_SMALL`,
/// `CA_KEY_TOO_SMALL`): security level 2 wants 112-bit security.
///
/// Source: OpenSSL 3.0 `crypto/x509/x509_vfy.c` `check_key_level`; level 2 is Debian's and
/// Ubuntu's default (`/etc/ssl/openssl.cnf`). node bundles its own OpenSSL at level 1
/// (<https://nodejs.org/api/tls.html#modifying-the-default-tls-cipher-suite>) and accepts
/// RSA-1024.
fn security_level_2_key_size(f: &Facts) -> Option<Refusal> {
    rules::rsa_below(f, 2048).map(|reason| Refusal {
        reason,
        only: LEVEL_2,
    })
}

/// The same for Python 3.13, which links the system OpenSSL.
///
/// Source: as [`security_level_2_key_size`]; CPython `Modules/_ssl.c` keeps the library's
/// security level.
fn python_key_size(f: &Facts) -> Option<Refusal> {
    rules::rsa_below(f, 2048).map(Refusal::all)
}

/// SHA-1 or MD5 signatures (`CA_MD_TOO_WEAK`): OpenSSL 3 counts SHA-1 as under 80 bits,
/// below security level 1.
///
/// Source: OpenSSL 3.0 `crypto/x509/x509_vfy.c` `check_sig_level`;
/// <https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/> (level 1: "SHA1 … not
/// allowed").
fn sha1_signature(f: &Facts) -> Option<Refusal> {
    rules::weak_signature(f, &[SigHash::Sha1, SigHash::Md5]).map(Refusal::all)
}

/// A critical extension OpenSSL does not know, on any certificate including the trusted
/// CA (`UNHANDLED_CRITICAL_EXTENSION`).
///
/// Source: OpenSSL 3.0 `crypto/x509/v3_purp.c` `supported_extension`,
/// `crypto/x509/x509_vfy.c` `check_chain_extensions`.
fn unknown_critical_extension(f: &Facts) -> Option<Refusal> {
    rules::unknown_critical(f, true).map(Refusal::all)
}

/// An extendedKeyUsage without serverAuth; anyExtendedKeyUsage does not count
/// (`INVALID_PURPOSE`).
///
/// Source: OpenSSL 3.0 `crypto/x509/v3_purp.c` `check_purpose_ssl_server`, `xku_reject`.
fn eku_server_auth(f: &Facts) -> Option<Refusal> {
    rules::eku_not_server(f, false).map(Refusal::all)
}

/// A name outside the CA's nameConstraints (`PERMITTED_VIOLATION`).
///
/// Source: OpenSSL 3.0 `crypto/x509/x509_vfy.c` `check_name_constraints`,
/// `crypto/x509/v3_ncons.c` `NAME_CONSTRAINTS_check`.
fn name_constraints(f: &Facts) -> Option<Refusal> {
    rules::name_constraints(f).map(Refusal::all)
}

/// Host names: the CN is read when there is no dNSName; `openssl s_client` and node match
/// partial wildcards (`f*.example.com`), curl and Python do not.
///
/// Source: OpenSSL 3.0 `crypto/x509/v3_utl.c` `X509_check_host`; CPython `Modules/_ssl.c`
/// (`X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS`, `hostname_checks_common_name` on); curl
/// `lib/vtls/hostcheck.c`; node `lib/tls.js` `checkServerIdentity`.
fn host_names(f: &Facts) -> Option<Refusal> {
    let partial = Matching {
        partial: true,
        cn_fallback: true,
    };
    let strict = Matching {
        partial: false,
        cn_fallback: true,
    };
    match rules::host_mismatch(f, partial) {
        Some(reason) => Some(Refusal::all(reason)),
        None => rules::host_mismatch(f, strict).map(|reason| Refusal {
            reason,
            only: NO_PARTIAL,
        }),
    }
}

/// Python's host matching: CN fallback on, partial wildcards off.
///
/// Source: CPython 3.13 `Modules/_ssl.c` (`X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS`);
/// `Lib/ssl.py` (`hostname_checks_common_name`).
fn python_host_names(f: &Facts) -> Option<Refusal> {
    rules::host_mismatch(
        f,
        Matching {
            partial: false,
            cn_fallback: true,
        },
    )
    .map(Refusal::all)
}

/// A UTF-16 CA file: the PEM reader finds no `-----BEGIN` line (`NO_CERTIFICATE_OR_CRL_FOUND`).
/// A UTF-8 BOM, CR LF line ends and text before the header are all read.
///
/// Source: OpenSSL 3.0 `crypto/pem/pem_lib.c` `PEM_read_bio_ex` (skips lines until one
/// starts with `-----BEGIN `), `crypto/x509/by_file.c`.
fn ca_file_utf16(f: &Facts) -> Option<Refusal> {
    rules::ca_file_utf16(f).map(Refusal::all)
}

/// A certificate message over 100 KiB (`SSL_R_EXCESSIVE_MESSAGE_SIZE`).
///
/// Source: OpenSSL 3.0 `ssl/ssl_local.h` `SSL_MAX_CERT_LIST_DEFAULT` (1024 * 100).
fn certificate_list_size(f: &Facts) -> Option<Refusal> {
    (rules::sent_chain_len(f) > 100 * 1024)
        .then(|| Refusal::all("the certificate chain is over 100 KiB"))
}

/// An encrypted key: the server asks for a passphrase on a terminal it does not have.
///
/// Source: OpenSSL 3.0 `SSL_CTX_use_PrivateKey_file` with the default passphrase callback
/// (<https://docs.openssl.org/3.0/man3/SSL_CTX_set_default_passwd_cb/>); uvicorn's
/// `--ssl-keyfile-password`, which the seed's services do not set.
fn key_encrypted(f: &Facts) -> Option<Refusal> {
    rules::key_encrypted(f).map(Refusal::all)
}

/// Strict mode: a CA whose basicConstraints is not critical (`CA_BCONS_NOT_CRITICAL`).
///
/// Source: OpenSSL 3.0 `crypto/x509/x509_vfy.c` `check_extensions`
/// (`X509_V_FLAG_X509_STRICT`); CPython 3.13 `Lib/ssl.py` `create_default_context`.
fn strict_ca_basic_constraints_critical(f: &Facts) -> Option<Refusal> {
    f.issuers
        .iter()
        .find(|c| c.is_ca && !c.bc_critical)
        .map(|c| {
            Refusal::all(format!(
                "{}'s basicConstraints is not marked critical (strict mode)",
                rules::role(f, c)
            ))
        })
}

/// Strict mode: a CA without keyUsage (`CA_CERT_MISSING_KEY_USAGE`), what
/// `openssl req -x509` makes by default.
///
/// Source: OpenSSL 3.0 `crypto/x509/x509_vfy.c` `check_extensions`; CPython 3.13
/// `Lib/ssl.py`.
fn strict_ca_key_usage(f: &Facts) -> Option<Refusal> {
    f.issuers
        .iter()
        .find(|c| c.is_ca && c.key_usage.is_none())
        .map(|c| {
            Refusal::all(format!(
                "{} has no keyUsage (strict mode requires keyCertSign)",
                rules::role(f, c)
            ))
        })
}

/// Strict mode: a CA without subjectKeyIdentifier (`MISSING_SUBJECT_KEY_IDENTIFIER`).
///
/// Source: OpenSSL 3.0 `crypto/x509/x509_vfy.c` `check_extensions`.
fn strict_ca_subject_key_identifier(f: &Facts) -> Option<Refusal> {
    f.issuers.iter().find(|c| c.is_ca && !c.ski).map(|c| {
        Refusal::all(format!(
            "{} has no subjectKeyIdentifier (strict mode)",
            rules::role(f, c)
        ))
    })
}

/// Strict mode: a certificate not self-issued without an authorityKeyIdentifier holding a
/// keyIdentifier (`MISSING_AUTHORITY_KEY_IDENTIFIER`).
///
/// Source: OpenSSL 3.0 `crypto/x509/x509_vfy.c` `check_extensions`.
fn strict_authority_key_identifier(f: &Facts) -> Option<Refusal> {
    f.signed().find(|c| !c.self_issued && !c.aki).map(|c| {
        Refusal::all(format!(
            "{} has no authorityKeyIdentifier with a key identifier (strict mode)",
            rules::role(f, c)
        ))
    })
}

/// A PKCS#8 v2 key (RFC 5958 `OneAsymmetricKey` with `[1] publicKey`): OpenSSL 3.0's
/// `PKCS8_PRIV_KEY_INFO` has no such field, so the decoder fails ("DECODER routines::
/// unsupported") in nginx, uvicorn, node and `openssl s_server` alike.
///
/// Source: OpenSSL 3.0 `crypto/asn1/p8_pkey.c` (`PKCS8_PRIV_KEY_INFO`: version,
/// algorithm, key, attributes); measured with `openssl pkey` 3.0.19 and Python
/// `load_cert_chain`.
fn key_pkcs8_v2(f: &Facts) -> Option<Refusal> {
    rules::key_pkcs8_v2(f).map(Refusal::all)
}

/// A UTF-16 certificate or key file for the server; a BOM, CR LF or text before the
/// header are read.
///
/// Source: OpenSSL 3.0 `crypto/pem/pem_lib.c` `PEM_read_bio_ex`; measured with
/// `openssl s_server` and Python `load_cert_chain`.
fn server_file_utf16(f: &Facts) -> Option<Refusal> {
    rules::server_file_utf16(f).map(Refusal::all)
}
