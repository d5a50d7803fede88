//! Key generation per key type, and the two certificate profiles (CA and server).
//!
//! Takes parsed values and returns PEM text; never reads or writes the certificate
//! directory. The one file it reads is `/proc/stat`, a kernel counter of runnable threads,
//! to size the RSA race to the idle CPUs (see `rsa_workers`): that is a question about
//! this machine's scheduler, not about files, so it stays beside the race. The profiles follow
//! SPEC §2: X.509 v3, random serials, notBefore backdated for clock skew, and the
//! extensions a strict verifier (OpenSSL `-x509_strict`, Python 3.13's default context,
//! rustls-webpki) expects.

use std::sync::mpsc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PublicKeyData, SanType, SerialNumber, SignatureAlgorithm,
};
use time::{Duration, OffsetDateTime};

use crate::cert::CertInfo;
use crate::clock;
use crate::error::{Error, Result};
use crate::key_type::KeyType;
use crate::names::SanName;

/// How far notBefore is set in the past, so that a client whose clock is a few minutes
/// behind the issuer's still accepts a certificate issued just now (the same margin
/// step-ca uses by default; Let's Encrypt backdates by one hour).
pub const BACKDATE: Duration = Duration::minutes(5);

/// Longest validity of a server certificate. Apple platforms reject TLS server
/// certificates valid for more than 825 days (<https://support.apple.com/en-us/103769>).
pub const MAX_SERVER_DAYS: u32 = 825;
/// Longest validity of the CA: ten years.
pub const MAX_CA_DAYS: u32 = 3650;

/// Checks a validity period of `days` against its limit (1..=`max`), so that no caller of
/// the library, with or without clap in front, can ask for a date past the end of time.
pub fn check_days(days: u32, max: u32) -> Result<()> {
    if (1..=max).contains(&days) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            what: "--days",
            value: days.to_string(),
            reason: format!("the validity must be from 1 to {max} days"),
        })
    }
}

/// Serial numbers are 16 random bytes with the top bit cleared: positive, at most 20
/// octets (RFC 5280 §4.1.2.2), and 127 bits of entropy, well over the 64 bits the
/// CA/Browser Forum Baseline Requirements (§7.1) ask for, so a serial is never reused.
const SERIAL_LEN: usize = 16;

/// The signature algorithm a key of type `kt` signs with.
fn signature_algorithm(kt: KeyType) -> &'static SignatureAlgorithm {
    match kt {
        KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096 => &rcgen::PKCS_RSA_SHA256,
        KeyType::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
        KeyType::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        KeyType::Ed25519 => &rcgen::PKCS_ED25519,
    }
}

/// Generates a fresh private key of type `kt`.
///
/// RSA key generation is a random search for primes, and its time varies several-fold
/// from one run to the next. So it runs on every core at once and keeps the first key
/// finished; see `race_rsa` for why that key is as good as any other.
pub fn generate_key(kt: KeyType) -> Result<KeyPair> {
    let key = match kt {
        KeyType::Rsa2048 => race_rsa(rcgen::RsaKeySize::_2048)?,
        KeyType::Rsa3072 => race_rsa(rcgen::RsaKeySize::_3072)?,
        KeyType::Rsa4096 => race_rsa(rcgen::RsaKeySize::_4096)?,
        // aws-lc-rs (and so rcgen) writes Ed25519 keys as PKCS#8 v2 (RFC 5958, with the
        // public key), which OpenSSL 3.0, GnuTLS, node and pyca/cryptography cannot read:
        // uvicorn, nginx and llama-server would fail to start. SPEC §2: every key file is
        // PKCS#8 v1 (RFC 5208).
        KeyType::Ed25519 => {
            let v1 = aws_lc_rs::signature::Ed25519KeyPair::generate_pkcs8v1(
                &aws_lc_rs::rand::SystemRandom::new(),
            )
            .map_err(|e| Error::crypto("key generation failed", e))?;
            KeyPair::from_pkcs8_der_and_sign_algo(
                &v1.as_ref().to_vec().into(),
                &rcgen::PKCS_ED25519,
            )
            .map_err(|e| Error::crypto("key generation failed", e))?
        }
        // ECDSA keys come as PKCS#8 v1 from aws-lc-rs already (`EcdsaKeyPair::generate_pkcs8`).
        _ => KeyPair::generate_for(signature_algorithm(kt))
            .map_err(|e| Error::crypto("key generation failed", e))?,
    };
    Ok(key)
}

/// Generates RSA keys on every idle core at once and returns the first one finished.
///
/// Sound because how long a generation takes says nothing about the key it returns, so the
/// first key to finish is distributed exactly like the key of one lone generation. Checked
/// in aws-lc 5.12 (aws-lc-sys 0.47), `crypto/fipsmodule/rsa/rsa_impl.c`, on the path
/// aws-lc-rs takes (`EVP_PKEY_keygen` → `pkey_rsa_keygen` → `RSA_generate_key_ex` →
/// `RSA_generate_key_ex_maybe_fips` → `rsa_generate_key_impl` → `generate_prime` for p,
/// then for q):
/// - `generate_prime` draws every candidate afresh, `BN_rand(out, bits, BN_RAND_TOP_ONE,
///   BN_RAND_BOTTOM_ODD)` at the top of its `for (;;)` loop, and accepts or rejects it on
///   its own value. It does not step from one random start to the next prime, as
///   incremental search does (there a prime after a long gap is both likelier and slower
///   to reach, so racing would favour primes after short gaps).
/// - Every retry starts over from fresh randomness: a candidate too close to p or below
///   ⌊2^(bits-1)·√2⌋ is redrawn (`continue`); `rsa_generate_key_impl` redraws both p and
///   q in its `do { … } while (d <= 2^(bits/2))` loop; and `RSA_generate_key_ex_maybe_fips`
///   reruns the whole generation, up to 4 times, after `RSA_R_TOO_MANY_ITERATIONS`. So a
///   generation is rejection sampling, and the key it returns is independent of how many
///   candidates were rejected first, i.e. of how long it ran.
/// - The work on the accepted candidates (trial division, then `BN_primality_test`, whose
///   Miller-Rabin rounds run to the end and blind their count "to avoid leaking |a|", and
///   the constant-time computation of d and the CRT values) takes the same time whatever
///   the prime, so it adds no link between time and key either.
///
/// How many workers: see [`rsa_workers`]. The losing workers cannot be cancelled
/// (aws-lc-rs exposes no `BN_GENCB` callback); they run on, holding no shared state, until
/// the process exits right after the files are written, and their keys are dropped.
fn race_rsa(size: rcgen::RsaKeySize) -> Result<KeyPair> {
    let workers = rsa_workers();
    let (tx, rx) = mpsc::channel();
    for _ in 0..workers {
        let tx = tx.clone();
        std::thread::spawn(move || {
            // The receiver is gone once a key has won; a send error is expected then.
            let _ = tx.send(KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, size));
        });
    }
    drop(tx);
    let mut last_err = None;
    for result in rx {
        match result {
            Ok(key) => return Ok(key),
            Err(e) => last_err = Some(e),
        }
    }
    Err(Error::crypto(
        "RSA key generation failed",
        last_err.map_or_else(|| "no worker finished".to_owned(), |e| e.to_string()),
    ))
}

/// Most RSA generations raced at once. Each extra worker cuts the expected time less
/// (the minimum of n draws), while all of them burn CPU until the process exits.
const MAX_RSA_WORKERS: usize = 4;

/// How many RSA generations to race: one per CPU that is idle right now, at least one, and
/// no more than this process may use nor [`MAX_RSA_WORKERS`].
///
/// Racing pays only on idle cores. The search is CPU-bound, so workers that share a core
/// each run at a fraction of its speed, and since the time of one generation varies less
/// than an exponential's (it is the sum of two prime searches), the first of n workers
/// at 1/n speed finishes later than one worker at full speed. Measured on 2 cores with the
/// other one busy: the median `aitls ca` (RSA-4096) took 0.84 s with 1 worker, 1.28 s with
/// 2, 2.14 s with 3 and 2.33 s with 4 (`docs/performance.md`).
fn rsa_workers() -> usize {
    let allowed = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_RSA_WORKERS);
    // A snapshot catches short-lived threads too (a shell forking, a compiler between
    // files); the most idle of three, 1 ms apart, is closer to what the next second holds.
    // The 2 ms are nothing next to an RSA generation (0.1 s for 2048 bits, 0.5 s+ for 4096).
    let mut idle = None;
    for sample in 0..3 {
        if sample > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        idle = idle.max(idle_cpus());
    }
    idle.unwrap_or(allowed).clamp(1, allowed)
}

/// CPUs with nothing to run right now: online CPUs minus the threads running or ready to
/// run (`procs_running` in `/proc/stat`, which counts this thread too). A snapshot, but
/// one that costs a single read of a kernel-generated file; `None` where there is no
/// `/proc/stat` (not Linux) or it cannot be parsed.
fn idle_cpus() -> Option<usize> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpus = stat
        .lines()
        .filter(|l| {
            l.strip_prefix("cpu")
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    let running: usize = stat
        .lines()
        .find_map(|l| l.strip_prefix("procs_running "))?
        .trim()
        .parse()
        .ok()?;
    Some(cpus.saturating_sub(running.saturating_sub(1)))
}

/// Parses a PEM private key (PKCS#8, or the older PKCS#1 / SEC1 forms) into a signing key.
pub fn load_key(pem_text: &[u8]) -> std::result::Result<KeyPair, String> {
    let text = std::str::from_utf8(pem_text).map_err(|_| "is not a PEM private key".to_owned())?;
    KeyPair::from_pem(text).map_err(|_| {
        // Say what the key is, when it is one aitls cannot sign with.
        use crate::keyfile::KeyAlgorithm;
        match crate::keyfile::read_file_bytes(pem_text) {
            Ok(facts) if facts.encrypted => format!(
                "is encrypted ({}); aitls signs unattended and needs the key unencrypted",
                facts.encryption.as_deref().unwrap_or(facts.encoding.name())
            ),
            Ok(facts) => match (&facts.algorithm, facts.bits) {
                (Some(KeyAlgorithm::Rsa), Some(bits)) => format!(
                    "is an RSA {bits}-bit key; aitls signs with RSA of 2048 to 8192 bits, ECDSA P-256 or P-384, or Ed25519"
                ),
                (Some(alg), _) => format!(
                    "is a{} {} key, which aitls cannot sign with (RSA, ECDSA P-256 or P-384, or Ed25519)",
                    if matches!(alg, KeyAlgorithm::Ecdsa | KeyAlgorithm::Ed25519 | KeyAlgorithm::Ed448 | KeyAlgorithm::X25519 | KeyAlgorithm::X448) { "n" } else { "" },
                    alg.name().to_uppercase()
                ),
                (None, _) => "is not a PEM private key aitls can use".to_owned(),
            },
            Err(_) => "is not a PEM private key aitls can use".to_owned(),
        }
    })
}

/// The key type of an existing signing key, when it is one aitls generates.
pub fn key_type_of(key: &KeyPair) -> Option<KeyType> {
    crate::key_type::key_type_of_spki(&rcgen::PublicKeyData::subject_public_key_info(key))
}

/// A freshly issued certificate and its key, as PEM.
#[derive(Debug)]
pub struct Issued {
    /// The certificate, PEM.
    pub cert_pem: String,
    /// The private key, PKCS#8 PEM.
    pub key_pem: String,
    /// End of validity.
    pub not_after: OffsetDateTime,
}

/// What a CA certificate should say.
#[derive(Debug, Clone)]
pub struct CaProfile {
    /// Subject common name.
    pub common_name: String,
    /// Validity in days from now.
    pub days: u32,
    /// basicConstraints pathLenConstraint: 0 (the default) lets the CA sign leaves only;
    /// 1 also lets it sign one level of subordinate CAs (`aitls sign --intermediate`).
    pub pathlen: u8,
    /// Name constraints (`aitls ca --permit`); `None` for an unconstrained CA.
    pub name_constraints: Option<crate::constraints::Constraints>,
}

/// What a server certificate should say.
#[derive(Debug, Clone)]
pub struct ServerProfile {
    /// Subject common name.
    pub common_name: String,
    /// subjectAltNames, in order.
    pub names: Vec<SanName>,
    /// Validity in days from now.
    pub days: u32,
    /// Add clientAuth to extendedKeyUsage (for mTLS).
    pub client_auth: bool,
    /// End validity no later than this (the CA's own notAfter: a certificate is useless
    /// once its CA has expired, and RFC 5280 path validation rejects it).
    pub not_after_cap: Option<OffsetDateTime>,
    /// An explicit validity window (`--not-before`/`--not-after`), issued exactly as given,
    /// past ones included: it replaces `days`, the backdating and the cap.
    pub window: Option<Window>,
}

/// An explicit validity window: notBefore and notAfter exactly as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
}

/// The first four octets of the serial of a certificate issued with an explicit
/// [`Window`] ("aiwn"). A window is never renewed automatically (SPEC §2), and the
/// certificate itself must say it had one: a sidecar file would be one more file to lose,
/// and a private extension would show in every client. The serial keeps 95 random bits
/// (over the 64 the Baseline Requirements ask for), and ordinary serials are drawn again
/// when they start with these octets, so aitls never marks one by chance.
const WINDOW_SERIAL_PREFIX: [u8; 4] = *b"aiwn";

/// Whether a certificate was issued by aitls with an explicit validity window (its serial
/// starts with the window marker).
pub fn has_explicit_window(serial: &[u8]) -> bool {
    serial.starts_with(&WINDOW_SERIAL_PREFIX)
}

fn random_serial(window: bool) -> Result<SerialNumber> {
    let mut bytes = [0u8; SERIAL_LEN];
    loop {
        aws_lc_rs::rand::fill(&mut bytes).map_err(|e| Error::crypto("random serial", e))?;
        bytes[0] &= 0x7f; // positive
        bytes[0] |= 0x01; // no leading zero octet, so the DER length is always 16
        if window {
            bytes[..WINDOW_SERIAL_PREFIX.len()].copy_from_slice(&WINDOW_SERIAL_PREFIX);
        }
        if window || !has_explicit_window(&bytes) {
            return Ok(SerialNumber::from_slice(&bytes));
        }
    }
}

/// Applies an explicit validity window to `params`, and marks the serial.
pub(crate) fn set_window(params: &mut CertificateParams, window: Window) -> Result<()> {
    if window.not_after <= window.not_before {
        return Err(Error::InvalidValue {
            what: "--not-after",
            value: window.not_after.to_string(),
            reason: "the validity must end after it begins (--not-before)".into(),
        });
    }
    params.not_before = window.not_before;
    params.not_after = window.not_after;
    params.serial_number = Some(random_serial(true)?);
    Ok(())
}

/// The fields both profiles share. `not_after` is the end of validity, already computed
/// with checked arithmetic by the caller.
fn base_params(
    common_name: &str,
    now: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<CertificateParams> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    params.not_before = clock::sub(now, BACKDATE, "the certificate")?;
    params.not_after = not_after;
    params.serial_number = Some(random_serial(false)?);
    Ok(params)
}

/// The key usages of a server certificate: digitalSignature for the TLS handshake
/// signature, plus keyEncipherment for RSA (RSA key transport in TLS 1.2, RFC 5246 §7.4.7.1).
fn server_key_usages(kt: Option<KeyType>) -> Vec<KeyUsagePurpose> {
    let mut usages = vec![KeyUsagePurpose::DigitalSignature];
    if kt.is_some_and(KeyType::is_rsa) {
        usages.push(KeyUsagePurpose::KeyEncipherment);
    }
    usages
}

/// Issues a self-signed CA certificate for `key`.
pub fn issue_ca(profile: &CaProfile, key: &KeyPair, now: OffsetDateTime) -> Result<Issued> {
    self_sign(&ca_params(profile, now)?, key)
}

/// The CA profile as rcgen parameters (the fixtures alter them to make broken CAs).
pub(crate) fn ca_params(profile: &CaProfile, now: OffsetDateTime) -> Result<CertificateParams> {
    let not_after = clock::add_days(now, profile.days, "the CA")?;
    let mut params = base_params(&profile.common_name, now, not_after)?;
    // pathlen:0 unless asked: this CA signs server certificates only, never another CA.
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(profile.pathlen));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.name_constraints = profile
        .name_constraints
        .as_ref()
        .map(crate::constraints::Constraints::to_rcgen);
    Ok(params)
}

/// Signs `params` with their own `key` (a CA, or the fixtures' self-signed server).
pub(crate) fn self_sign(params: &CertificateParams, key: &KeyPair) -> Result<Issued> {
    let cert = params
        .self_signed(key)
        .map_err(|e| Error::crypto("signing the CA certificate failed", e))?;
    Ok(Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        not_after: params.not_after,
    })
}

/// An existing CA, loaded once: its certificate (parsed) and its signing key.
#[derive(Debug)]
pub struct Ca {
    /// The CA certificate, parsed.
    pub cert: CertInfo,
    /// The CA's private key.
    pub key: KeyPair,
}

/// Issues a server certificate for `key`, signed by `ca`.
pub fn issue_server(
    ca: &Ca,
    profile: &ServerProfile,
    key: &KeyPair,
    now: OffsetDateTime,
) -> Result<Issued> {
    let (cert_pem, not_after) = issue_server_for(ca, profile, key, now)?;
    Ok(Issued {
        cert_pem,
        key_pem: key.serialize_pem(),
        not_after,
    })
}

/// Issues a server certificate for a public key whose private half aitls never sees (a
/// CSR's, for `aitls sign`), signed by `ca`. Returns the certificate PEM and its notAfter.
pub fn issue_server_for(
    ca: &Ca,
    profile: &ServerProfile,
    public_key: &impl PublicKeyData,
    now: OffsetDateTime,
) -> Result<(String, OffsetDateTime)> {
    let params = server_params(profile, public_key, now)?;
    let cert_pem = sign_by_ca(ca, &params, public_key, "the server certificate")?;
    Ok((cert_pem, params.not_after))
}

/// The server profile as rcgen parameters, for `public_key` (the fixtures alter them).
pub(crate) fn server_params(
    profile: &ServerProfile,
    public_key: &impl PublicKeyData,
    now: OffsetDateTime,
) -> Result<CertificateParams> {
    let mut params = match profile.window {
        Some(window) => {
            let mut params = base_params(&profile.common_name, now, window.not_after)?;
            set_window(&mut params, window)?;
            params
        }
        None => {
            // Past the CA's end the certificate is useless anyway, so a validity that
            // would run past 9999 is no error when the CA ends first.
            let not_after = match (
                clock::add_days(now, profile.days, "the certificate"),
                profile.not_after_cap,
            ) {
                (Ok(end), Some(cap)) => end.min(cap),
                (Ok(end), None) => end,
                (Err(_), Some(cap)) => cap,
                (Err(e), None) => return Err(e),
            };
            base_params(&profile.common_name, now, not_after)?
        }
    };
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = server_key_usages(crate::key_type::key_type_of_spki(
        &public_key.subject_public_key_info(),
    ));
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    if profile.client_auth {
        params
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::ClientAuth);
    }
    params.use_authority_key_identifier_extension = true;
    for name in &profile.names {
        params.subject_alt_names.push(match name {
            SanName::Ip(ip) => SanType::IpAddress(*ip),
            SanName::Dns(dns) => SanType::DnsName(
                dns.as_str()
                    .try_into()
                    .map_err(|e| Error::crypto("encoding a DNS name", e))?,
            ),
        });
    }
    Ok(params)
}

/// Signs server `params` for `key` with `ca` (the fixtures' altered profiles).
pub(crate) fn sign_server(params: &CertificateParams, key: &KeyPair, ca: &Ca) -> Result<Issued> {
    Ok(Issued {
        cert_pem: sign_by_ca(ca, params, key, "the server certificate")?,
        key_pem: key.serialize_pem(),
        not_after: params.not_after,
    })
}

/// What a subordinate CA certificate (`aitls sign --intermediate`) should say.
#[derive(Debug, Clone)]
pub struct IntermediateProfile {
    /// The subject, as the CSR asked for it.
    pub subject: DistinguishedName,
    /// Validity in days from now.
    pub days: u32,
    /// End validity no later than this (the root's notAfter).
    pub not_after_cap: Option<OffsetDateTime>,
}

/// The nameConstraints extension (RFC 5280 §4.2.1.10).
const OID_NAME_CONSTRAINTS: [u64; 4] = [2, 5, 29, 30];

/// Issues a subordinate CA certificate for `public_key`, signed by `ca`: basicConstraints
/// critical CA:TRUE pathlen:0 (it signs leaves only), keyUsage critical keyCertSign and
/// cRLSign, key identifiers, and the root's nameConstraints copied byte for byte, so that
/// the subordinate can never issue for names the root could not (RFC 5280 §4.2.1.10:
/// constraints in every certificate of a path apply; repeating them makes the limit
/// visible to anyone who inspects the intermediate alone).
pub fn issue_intermediate(
    ca: &Ca,
    profile: &IntermediateProfile,
    public_key: &impl PublicKeyData,
    now: OffsetDateTime,
) -> Result<(String, OffsetDateTime)> {
    let not_after = match (
        clock::add_days(now, profile.days, "the intermediate CA"),
        profile.not_after_cap,
    ) {
        (Ok(end), Some(cap)) => end.min(cap),
        (Ok(end), None) => end,
        (Err(_), Some(cap)) => cap,
        (Err(e), None) => return Err(e),
    };
    let mut params = base_params("", now, not_after)?;
    params.distinguished_name = profile.subject.clone();
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.use_authority_key_identifier_extension = true;
    if let Some((critical, value)) = crate::cert::name_constraints_raw(&ca.cert.der) {
        let mut ext = rcgen::CustomExtension::from_oid_content(&OID_NAME_CONSTRAINTS, value);
        ext.set_criticality(critical);
        params.custom_extensions.push(ext);
    }
    let cert_pem = sign_by_ca(ca, &params, public_key, "the intermediate CA certificate")?;
    Ok((cert_pem, params.not_after))
}

/// Signs `params` for `public_key` with the CA, and checks that the issuer field is a
/// byte-exact copy of the CA's subject.
fn sign_by_ca(
    ca: &Ca,
    params: &CertificateParams,
    public_key: &impl PublicKeyData,
    what: &str,
) -> Result<String> {
    let issuer = Issuer::from_ca_cert_der(&ca.cert.der.as_slice().into(), &ca.key)
        .map_err(|e| Error::crypto("reading the CA certificate for signing", e))?;
    let cert = params
        .signed_by(public_key, &issuer)
        .map_err(|e| Error::crypto(&format!("signing {what} failed"), e))?;
    // Clients chain by comparing names byte for byte; rcgen re-encodes the CA's subject,
    // so check that the re-encoding is exact rather than trust it.
    let issued = crate::cert::parse_der(cert.der())
        .map_err(|e| Error::crypto("re-reading the issued certificate", e))?;
    if issued.issuer_raw != ca.cert.subject_raw {
        return Err(Error::Crypto(
            "the CA's subject name could not be copied exactly into the issuer field".into(),
        ));
    }
    Ok(cert.pem())
}

/// How a CA certificate is renewed: reissued for the same key and subject (SPEC §2 `ca`).
#[derive(Debug, Clone)]
pub struct CaRenewalProfile {
    /// Validity in days from now.
    pub days: u32,
    /// basicConstraints pathLenConstraint; `None` keeps the one the CA has.
    pub path_len: Option<u8>,
    /// Name constraints (`--permit` given with the renewal); `None` keeps the CA's own,
    /// byte for byte.
    pub name_constraints: Option<crate::constraints::Constraints>,
}

/// The subject of a certificate as rcgen values, attribute by attribute, keeping each
/// value's string type, so that the renewed certificate's subject is the same bytes.
fn distinguished_name_of(name: &x509_parser::x509::X509Name<'_>) -> Option<DistinguishedName> {
    use rcgen::DnValue;
    use rcgen::string::{BmpString, UniversalString};
    use x509_parser::der_parser::asn1_rs::Tag;

    let mut dn = DistinguishedName::new();
    for rdn in name.iter() {
        let mut attrs = rdn.iter();
        let (attr, None) = (attrs.next()?, attrs.next()) else {
            return None;
        };
        let oid: Vec<u64> = attr.attr_type().iter()?.collect();
        let data = attr.attr_value().data;
        let text = || std::str::from_utf8(data).ok();
        let value = match attr.attr_value().header.tag() {
            Tag::Utf8String => DnValue::Utf8String(text()?.to_owned()),
            Tag::PrintableString => DnValue::PrintableString(text()?.try_into().ok()?),
            Tag::Ia5String => DnValue::Ia5String(text()?.try_into().ok()?),
            Tag::T61String => DnValue::TeletexString(text()?.try_into().ok()?),
            Tag::BmpString => DnValue::BmpString(BmpString::from_utf16be(data.to_vec()).ok()?),
            Tag::UniversalString => {
                DnValue::UniversalString(UniversalString::from_utf32be(data.to_vec()).ok()?)
            }
            _ => return None,
        };
        dn.push(DnType::from_oid(&oid), value);
    }
    Some(dn)
}

/// Reissues the CA certificate `old` for its own `key`: same subject (byte for byte),
/// same subject key identifier and name constraints, a new random serial, a new validity
/// of `profile.days` from now, and the CA profile of [`issue_ca`]. Certificates the CA
/// signed before chain to the renewed certificate as they did to the old one: clients
/// find the issuer by name and key identifier and check the signature with the same key.
pub fn renew_ca(
    old: &CertInfo,
    key: &KeyPair,
    profile: &CaRenewalProfile,
    now: OffsetDateTime,
) -> Result<Issued> {
    let cannot =
        |what: &str| Error::Crypto(format!("the CA certificate cannot be renewed: {what}"));
    let (_, x509) =
        x509_parser::parse_x509_certificate(&old.der).map_err(|_| cannot("it cannot be parsed"))?;
    let mut params = CertificateParams::default();
    params.distinguished_name = distinguished_name_of(x509.subject())
        .ok_or_else(|| cannot("its subject name cannot be copied"))?;
    params.not_before = now - BACKDATE;
    params.not_after = now + Duration::days(i64::from(profile.days));
    params.serial_number = Some(random_serial(false)?);
    params.is_ca = IsCa::Ca(
        match profile
            .path_len
            .or(old.path_len.and_then(|n| u8::try_from(n).ok()))
        {
            Some(n) => BasicConstraints::Constrained(n),
            None => BasicConstraints::Unconstrained,
        },
    );
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.name_constraints = profile
        .name_constraints
        .as_ref()
        .map(crate::constraints::Constraints::to_rcgen);
    for ext in x509.extensions() {
        match ext.parsed_extension() {
            // The same identifier: OpenSSL refuses an issuer whose subjectKeyIdentifier
            // differs from the authorityKeyIdentifier of the certificates it signed.
            x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(ski) => {
                params.key_identifier_method = rcgen::KeyIdMethod::PreSpecified(ski.0.to_vec());
            }
            // Name constraints (a leak-safe CA) stay exactly as they were.
            x509_parser::extensions::ParsedExtension::NameConstraints(_)
                if profile.name_constraints.is_none() =>
            {
                let oid: Vec<u64> = ext.oid.iter().map(Iterator::collect).unwrap_or_default();
                let mut copy = rcgen::CustomExtension::from_oid_content(&oid, ext.value.to_vec());
                copy.set_criticality(ext.critical);
                params.custom_extensions.push(copy);
            }
            _ => {}
        }
    }
    let cert = params
        .self_signed(key)
        .map_err(|e| Error::crypto("signing the renewed CA certificate failed", e))?;
    let renewed = crate::cert::parse_der(cert.der())
        .map_err(|e| Error::crypto("re-reading the renewed CA certificate", e))?;
    // Certificates issued before name the old subject as their issuer, byte for byte.
    if renewed.subject_raw != old.subject_raw || renewed.issuer_raw != old.subject_raw {
        return Err(cannot("its subject name could not be copied exactly"));
    }
    Ok(Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        not_after: params.not_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_out_of_range_are_errors_not_panics() {
        assert!(check_days(1, MAX_CA_DAYS).is_ok());
        assert!(check_days(MAX_CA_DAYS, MAX_CA_DAYS).is_ok());
        for days in [0, MAX_SERVER_DAYS + 1, u32::MAX] {
            let err = check_days(days, MAX_SERVER_DAYS).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("invalid --days \"{days}\": the validity must be from 1 to 825 days")
            );
        }
        // The profile itself refuses a date past the year 9999 instead of overflowing.
        let key = generate_key(KeyType::EcdsaP256).unwrap();
        let profile = CaProfile {
            common_name: "CA".into(),
            days: u32::MAX,
            pathlen: 0,
            name_constraints: None,
        };
        assert!(issue_ca(&profile, &key, OffsetDateTime::now_utc()).is_err());
    }

    #[test]
    fn rsa_workers_stay_between_one_and_the_cores_allowed() {
        let allowed = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = rsa_workers();
        assert!(workers >= 1);
        assert!(workers <= allowed.min(MAX_RSA_WORKERS));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn idle_cpus_reads_proc_stat_on_linux() {
        // If the /proc/stat parsing broke, racing would silently fall back to every core.
        let idle = idle_cpus().expect("/proc/stat has cpuN and procs_running lines");
        let online = std::fs::read_to_string("/proc/stat")
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("cpu") && !l.starts_with("cpu "))
            .count();
        assert!(idle <= online);
    }
}
