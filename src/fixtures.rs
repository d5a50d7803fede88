//! `aitls fixtures` (SPEC §9): certificates that are wrong on purpose, one directory per
//! case, for the test suites of TLS clients, and a manifest of what every client family
//! does with each (from the client model, [`crate::clients`], through [`crate::verify`]).
//!
//! Every case is signed under a fixtures CA of its own (`OUTDIR/ca.crt`, `OUTDIR/ca.key`,
//! made and kept like `aitls ca`'s), never the project's. The certificates are made by the
//! profiles of [`crate::issue`] (explicit windows included), altered only where the case
//! needs it. A rerun keeps every case that still is what it claims to be (an `expired`
//! fixture stays expired; a `good` one is reissued 30 days before it expires) and rewrites
//! the others; files go through [`Store`] (atomic, keys 0600).
//!
//! Library code: returns a [`Report`]; never prints.

mod manifest;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use rcgen::{ExtendedKeyUsagePurpose, KeyPair};
use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::cert::{self, CertInfo};
use crate::error::{Error, Result};
use crate::issue::{self, Ca, CaProfile, ServerProfile, Window};
use crate::key_type::KeyType;
use crate::names::SanName;
use crate::plan::Action;
use crate::provision::{self, CaRequest, Progress};
use crate::store::{self, CERT_MODE, DirLock, KEY_MODE, NewFile, Store};

pub use manifest::{Category, Expectation, Manifest, ManifestCase};

/// A fixture is reissued when it has fewer days than this left in the state it stands for
/// (a `good` certificate before it expires, a `not-yet-valid` one before it starts): the
/// renewal margin of `aitls server`.
pub const RENEW_WITHIN_DAYS: i64 = 30;

/// Validity of the fixtures CA: ten years, the longest `aitls ca` makes, so that it is
/// made once per checkout of a test suite.
const CA_DAYS: u32 = issue::MAX_CA_DAYS;

/// Validity of the fixtures that should be current.
const DAYS: u32 = 365;

/// One past Apple's limit of 825 days (<https://support.apple.com/en-us/103769>).
const TOO_LONG_DAYS: i64 = issue::MAX_SERVER_DAYS as i64 + 1;

/// The name most cases are issued for and connected to.
const HOST: &str = "localhost";

/// A fixture case (SPEC §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Case {
    /// A sound certificate: every client accepts it.
    Good,
    /// Expired a month ago.
    Expired,
    /// Valid from a year from now.
    NotYetValid,
    /// Issued for another name than the one connected to.
    WrongHost,
    /// Signed by another CA than `ca.crt` (that one is `other-ca.crt`).
    UntrustedCa,
    /// Signed by its own key.
    SelfSigned,
    /// Signed by a certificate that is not a CA (basicConstraints CA:FALSE), sent with it.
    IssuerNotCa,
    /// The name only in the subject's common name, no subjectAltName.
    NoSan,
    /// extendedKeyUsage clientAuth only, no serverAuth.
    ClientOnlyEku,
    /// A private key that is not the certificate's.
    KeyMismatch,
    /// A CA without keyUsage (the OpenSSL recipe's), which strict clients refuse.
    CaWithoutKeyUsage,
    /// Valid for 826 days, one more than Apple platforms accept.
    TooLong,
    /// A wildcard `*.fixtures.test`, connected to as `api.fixtures.test`.
    Wildcard,
    /// An IP address only (127.0.0.1), no DNS name.
    IpOnly,
}

impl Case {
    /// Every case, in the order of SPEC §9.
    pub const ALL: [Case; 14] = [
        Case::Good,
        Case::Expired,
        Case::NotYetValid,
        Case::WrongHost,
        Case::UntrustedCa,
        Case::SelfSigned,
        Case::IssuerNotCa,
        Case::NoSan,
        Case::ClientOnlyEku,
        Case::KeyMismatch,
        Case::CaWithoutKeyUsage,
        Case::TooLong,
        Case::Wildcard,
        Case::IpOnly,
    ];

    /// The directory name and the name `--only` takes.
    pub fn name(self) -> &'static str {
        match self {
            Case::Good => "good",
            Case::Expired => "expired",
            Case::NotYetValid => "not-yet-valid",
            Case::WrongHost => "wrong-host",
            Case::UntrustedCa => "untrusted-ca",
            Case::SelfSigned => "self-signed",
            Case::IssuerNotCa => "issuer-not-ca",
            Case::NoSan => "no-san",
            Case::ClientOnlyEku => "client-only-eku",
            Case::KeyMismatch => "key-mismatch",
            Case::CaWithoutKeyUsage => "ca-without-keyusage",
            Case::TooLong => "too-long",
            Case::Wildcard => "wildcard",
            Case::IpOnly => "ip-only",
        }
    }

    /// What the case is, for the manifest and `--help`.
    pub fn description(self) -> &'static str {
        match self {
            Case::Good => "a sound certificate for localhost: every client accepts it",
            Case::Expired => "expired 30 days ago",
            Case::NotYetValid => "valid only from a year from now",
            Case::WrongHost => "issued for wrong.fixtures.test, connected to as localhost",
            Case::UntrustedCa => {
                "signed by another CA (other-ca.crt), not by the CA the client trusts (ca.crt)"
            }
            Case::SelfSigned => "signed by its own key, not by the CA the client trusts",
            Case::IssuerNotCa => {
                "signed by a certificate that is not a CA (basicConstraints CA:FALSE), sent in server.crt after the server certificate"
            }
            Case::NoSan => "the name only in the subject's common name, no subjectAltName",
            Case::ClientOnlyEku => "extendedKeyUsage clientAuth only, without serverAuth",
            Case::KeyMismatch => {
                "server.key is not the key of server.crt: a server refuses to load the pair"
            }
            Case::CaWithoutKeyUsage => {
                "its CA (ca.crt) has no keyUsage, as the OpenSSL recipe makes it: Python 3.13's strict mode refuses it"
            }
            Case::TooLong => {
                "valid for 826 days, one more than Apple platforms accept for a server certificate"
            }
            Case::Wildcard => "a wildcard *.fixtures.test, connected to as api.fixtures.test",
            Case::IpOnly => "an IP address only (127.0.0.1), connected to as 127.0.0.1",
        }
    }

    /// The host a client connects to (and sends as SNI, when a name).
    pub fn host(self) -> &'static str {
        match self {
            Case::Wildcard => "api.fixtures.test",
            Case::IpOnly => "127.0.0.1",
            _ => HOST,
        }
    }

    /// The names the server certificate is issued for (its common name is the first,
    /// also for `no-san`, which has no subjectAltName).
    fn names(self) -> Vec<SanName> {
        let name = match self {
            Case::WrongHost => "wrong.fixtures.test",
            Case::Wildcard => "*.fixtures.test",
            Case::IpOnly => "127.0.0.1",
            _ => HOST,
        };
        vec![crate::names::parse(name).expect("a valid fixed name")]
    }

    /// Whether the case needs `other-ca.crt`.
    fn has_other_ca(self) -> bool {
        self == Case::UntrustedCa
    }

    /// The state the certificate's dates must stay in.
    fn dates(self) -> Dates {
        match self {
            Case::Expired => Dates::Expired,
            Case::NotYetValid => Dates::NotYetValid,
            Case::TooLong => Dates::Current(TOO_LONG_DAYS),
            _ => Dates::Current(i64::from(DAYS)),
        }
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Case {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Case::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown fixture {s:?}; one of {}",
                    Case::ALL.map(Case::name).join(", ")
                )
            })
    }
}

/// The dates a case stands for.
#[derive(Debug, Clone, Copy)]
enum Dates {
    /// Valid now, for this many days in all (reissued within [`RENEW_WITHIN_DAYS`] of its end).
    Current(i64),
    /// Expired (stays so).
    Expired,
    /// Not valid yet (reissued within [`RENEW_WITHIN_DAYS`] of its start).
    NotYetValid,
}

impl Dates {
    /// The explicit window a fresh certificate gets, when it needs one; `None`: the
    /// ordinary `days` of [`ServerProfile`].
    fn window(self, now: OffsetDateTime) -> Option<Window> {
        match self {
            Dates::Current(days) if days == i64::from(DAYS) => None,
            Dates::Current(days) => Some(Window {
                not_before: now - issue::BACKDATE,
                not_after: now - issue::BACKDATE + Duration::days(days),
            }),
            Dates::Expired => Some(Window {
                not_before: now - Duration::days(i64::from(DAYS) + 30),
                not_after: now - Duration::days(30),
            }),
            Dates::NotYetValid => Some(Window {
                not_before: now + Duration::days(i64::from(DAYS)),
                not_after: now + Duration::days(2 * i64::from(DAYS)),
            }),
        }
    }

    /// Why a certificate with these dates no longer stands for the case; `None` when it does.
    fn misfit(self, c: &CertInfo, now: OffsetDateTime) -> Option<String> {
        let margin = Duration::days(RENEW_WITHIN_DAYS);
        match self {
            Dates::Current(days) => {
                let length = c.not_after - c.not_before;
                if c.not_before > now {
                    Some("the certificate is not valid yet".into())
                } else if c.not_after - now < margin {
                    Some(format!(
                        "the certificate expires within {RENEW_WITHIN_DAYS} days"
                    ))
                } else if days != i64::from(DAYS)
                    && (length - Duration::days(days)).abs() > Duration::minutes(10)
                {
                    Some(format!("the certificate is not valid for {days} days"))
                } else {
                    None
                }
            }
            Dates::Expired => (c.not_after > now).then(|| "the certificate is not expired".into()),
            Dates::NotYetValid => (c.not_before - now < margin)
                .then(|| format!("the certificate becomes valid within {RENEW_WITHIN_DAYS} days")),
        }
    }
}

/// What `aitls fixtures` is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    /// Key type of every key (the fixtures CA's too, when it is made).
    pub key_type: KeyType,
    /// The cases to make or check; empty: all of them.
    pub only: Vec<Case>,
}

/// What happened to one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseOutcome {
    /// The case.
    pub name: &'static str,
    /// `created`, `kept` or `replaced` (`renewed` when only its dates had run out).
    pub action: Action,
    /// Why, in words.
    pub reason: String,
    /// The case's directory.
    pub dir: PathBuf,
}

/// What `aitls fixtures` did: the wire format of its `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The output directory.
    pub dir: PathBuf,
    /// The fixtures CA: what happened to it.
    pub ca: provision::Outcome,
    /// Each case asked for, in the order of SPEC §9.
    pub cases: Vec<CaseOutcome>,
    /// The manifest's path.
    pub manifest: PathBuf,
    /// Whether the manifest was written (it is rewritten only when it changed).
    pub manifest_written: bool,
}

/// The common name of the fixtures CA: plainly not the project's.
pub const CA_NAME: &str = "aitls fixtures CA (for tests only)";

/// Makes or checks the fixtures in `out` (SPEC §9).
pub fn ensure(
    out: &Store,
    req: &Request,
    now: OffsetDateTime,
    progress: &dyn Progress,
) -> Result<Report> {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let replace = ca_needs_replacing(out, req.key_type, now)?;
    // The fixes of `aitls ca` (`aitls ca --force` …) are about the project's CA in DIR,
    // not this one: the fixtures CA is replaced by this command when it no longer fits.
    let mut ca_outcome = provision::ensure_ca(
        out,
        &CaRequest {
            common_name: Some(CA_NAME.into()),
            days: Some(CA_DAYS),
            key_type: Some(req.key_type),
            force: replace.is_some(),
            renew: false,
            // Renewed (same key) like a project CA; the cases are then reissued under it.
            renew_within_days: RENEW_WITHIN_DAYS.unsigned_abs() as u32,
            name_constraints: None,
            pathlen: None,
        },
        now,
        progress,
    )
    .map_err(|e| match e {
        Error::Refused { message, .. } => Error::Refused {
            message,
            fixes: Vec::new(),
        },
        e => e,
    })?;
    for w in &mut ca_outcome.warnings {
        w.fix = None;
    }
    if let Some(why) = replace {
        ca_outcome.reason = why;
    }
    let lock = out.lock()?;
    let ca = provision::load_signing_ca(out, &lock, now)?;
    let ca_pem = lock
        .read(store::CA_CERT)?
        .ok_or_else(|| Error::Crypto("the fixtures CA vanished".into()))?
        .bytes;
    let cases: Vec<Case> = if req.only.is_empty() {
        Case::ALL.to_vec()
    } else {
        Case::ALL
            .into_iter()
            .filter(|c| req.only.contains(c))
            .collect()
    };
    // Each case in its own thread: key generation and the fsyncs of its files overlap.
    let results: Vec<Result<CaseOutcome>> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .iter()
            .map(|&case| {
                let (ca, ca_pem) = (&ca, ca_pem.as_slice());
                s.spawn(move || ensure_case(out, case, ca, ca_pem, req.key_type, now))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Crypto("a fixture thread failed".into())))
            })
            .collect()
    });
    let cases = results.into_iter().collect::<Result<Vec<_>>>()?;
    let manifest = manifest::build(out, now)?;
    let json = manifest::to_json(&manifest);
    let written = lock
        .read(store::FIXTURES_MANIFEST)?
        .is_none_or(|f| f.bytes != json.as_bytes());
    if written {
        lock.write_all(&[NewFile {
            name: store::FIXTURES_MANIFEST.into(),
            contents: json.as_bytes(),
            mode: CERT_MODE,
        }])?;
    }
    Ok(Report {
        dir: out.dir().to_path_buf(),
        ca: ca_outcome,
        cases,
        manifest: out.path(store::FIXTURES_MANIFEST),
        manifest_written: written,
    })
}

/// Why the fixtures CA in `out` must be made afresh, if it must: it is readable but of
/// another key type than asked, or cannot sign (an expiring one is renewed, same key). A
/// `ca.crt` that is not a fixtures CA (the project's, when OUTDIR is DIR) is refused: the
/// fixtures are never signed by another CA, and it is never replaced. Lone or mismatched files are left
/// to [`provision::ensure_ca`], which refuses them.
fn ca_needs_replacing(out: &Store, kt: KeyType, now: OffsetDateTime) -> Result<Option<String>> {
    let (Some(cert_bytes), Some(_)) = (out.read(store::CA_CERT)?, out.read(store::CA_KEY)?) else {
        return Ok(None);
    };
    let Ok(cert) = cert::parse_pem(&cert_bytes) else {
        return Ok(None);
    };
    if cert.common_name.as_deref() != Some(CA_NAME) {
        return Err(Error::Refused {
            message: format!(
                "{} is not a fixtures CA ({:?}): aitls fixtures signs only with a CA of its own; choose another OUTDIR",
                out.path(store::CA_CERT).display(),
                cert.common_name.unwrap_or_default()
            ),
            fixes: Vec::new(),
        });
    }
    Ok(if cert.key_type != Some(kt) {
        Some(format!("the fixtures CA's key type was not {kt}"))
    } else if let Err(e) = provision::load_signing_ca(out, &out.lock()?, now) {
        Some(format!("the fixtures CA could not sign: {e}"))
    } else {
        None
    })
}

/// The store of a case's directory.
fn case_store(out: &Store, case: Case) -> Store {
    Store::new(out.path(case.name()))
}

/// Keeps `case` when it still stands for itself, else makes it afresh.
fn ensure_case(
    out: &Store,
    case: Case,
    ca: &Ca,
    ca_pem: &[u8],
    kt: KeyType,
    now: OffsetDateTime,
) -> Result<CaseOutcome> {
    let store = case_store(out, case);
    let lock = store.lock()?;
    let (action, reason) = match misfit(&lock, case, ca, ca_pem, kt, now)? {
        None => (Action::Kept, "still what it stands for".to_owned()),
        Some(Misfit::Missing) => (Action::Created, "no fixture existed".to_owned()),
        Some(Misfit::Dates(why)) => (Action::Renewed, why),
        Some(Misfit::Other(why)) => (Action::Replaced, why),
    };
    if action != Action::Kept {
        let files = make(case, ca, ca_pem, kt, now)?;
        let new: Vec<NewFile<'_>> = files
            .iter()
            .map(|(name, contents, mode)| NewFile {
                name: name.clone(),
                contents: contents.as_bytes(),
                mode: *mode,
            })
            .collect();
        lock.write_all(&new)?;
        if !case.has_other_ca() {
            // A leftover from an older layout would say the case has another CA.
            let _ = std::fs::remove_file(store.path(store::OTHER_CA_CERT));
        }
    }
    Ok(CaseOutcome {
        name: case.name(),
        action,
        reason,
        dir: store.dir().to_path_buf(),
    })
}

/// Why a case's files must be rewritten.
enum Misfit {
    /// A file is missing.
    Missing,
    /// Its dates no longer stand for the case.
    Dates(String),
    /// Anything else.
    Other(String),
}

/// The case's files as they are on disk.
struct Found {
    ca: CertInfo,
    chain: Vec<CertInfo>,
    key: KeyPair,
    other_ca: Option<CertInfo>,
}

fn read_case(lock: &DirLock, case: Case) -> Result<std::result::Result<Found, Misfit>> {
    let server_cert = store::cert_file(store::DEFAULT_STEM);
    let server_key = store::key_file(store::DEFAULT_STEM);
    let mut names = vec![store::CA_CERT, &server_cert, &server_key];
    if case.has_other_ca() {
        names.push(store::OTHER_CA_CERT);
    }
    let mut bytes = Vec::new();
    let mut key_mode = KEY_MODE;
    for name in &names {
        match lock.read(name)? {
            Some(f) => {
                if *name == server_key.as_str() {
                    key_mode = f.mode;
                }
                bytes.push(f.bytes);
            }
            None => return Ok(Err(Misfit::Missing)),
        }
    }
    let unreadable = |name: &str, e: String| Ok(Err(Misfit::Other(format!("{name} {e}"))));
    let ca = match cert::parse_pem(&bytes[0]) {
        Ok(c) => c,
        Err(e) => return unreadable(store::CA_CERT, e),
    };
    let chain = match crate::verify::parse_certs(&bytes[1]) {
        Ok(c) if !c.is_empty() => c,
        Ok(_) => return unreadable(&server_cert, "holds no certificate".into()),
        Err(e) => return unreadable(&server_cert, e),
    };
    let key = match issue::load_key(&bytes[2]) {
        Ok(k) => k,
        Err(e) => return unreadable(&server_key, e),
    };
    if !store::is_owner_only(key_mode) {
        return Ok(Err(Misfit::Other(format!(
            "{server_key} was readable by others"
        ))));
    }
    let other_ca = match bytes.get(3).map(|b| cert::parse_pem(b)) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => return unreadable(store::OTHER_CA_CERT, e),
    };
    Ok(Ok(Found {
        ca,
        chain,
        key,
        other_ca,
    }))
}

/// Why the case's files no longer stand for it; `None` when they do.
fn misfit(
    lock: &DirLock,
    case: Case,
    ca: &Ca,
    ca_pem: &[u8],
    kt: KeyType,
    now: OffsetDateTime,
) -> Result<Option<Misfit>> {
    let found = match read_case(lock, case)? {
        Ok(f) => f,
        Err(m) => return Ok(Some(m)),
    };
    let other = |why: &str| Ok(Some(Misfit::Other(why.to_owned())));
    let leaf = &found.chain[0];
    if issue::key_type_of(&found.key) != Some(kt) || leaf.key_type != Some(kt) {
        return other(&format!("the key type is not {kt}"));
    }
    if cert::key_matches(&found.key, leaf) == (case == Case::KeyMismatch) {
        return other(if case == Case::KeyMismatch {
            "the key matches the certificate"
        } else {
            "the key does not match the certificate"
        });
    }
    // The CA the client trusts: the fixtures CA, or the case's own CA without keyUsage.
    if case == Case::CaWithoutKeyUsage {
        if !found.ca.is_ca || found.ca.key_usage.is_some() || found.ca.der == ca.cert.der {
            return other("ca.crt is not a CA without keyUsage");
        }
    } else if pem_der(ca_pem).as_deref() != Some(found.ca.der.as_slice()) {
        return other("ca.crt is not the fixtures CA");
    }
    // Who signed the server certificate.
    let signer: Option<&CertInfo> = match case {
        Case::UntrustedCa => found.other_ca.as_ref(),
        Case::SelfSigned => Some(leaf),
        Case::IssuerNotCa => found.chain.get(1).filter(|i| {
            !i.is_ca
                && i.issuer_raw == ca.cert.subject_raw
                && cert::is_signed_by(i, &ca.cert.spki_der)
        }),
        _ => Some(&found.ca),
    };
    let signed = signer
        .is_some_and(|s| leaf.issuer_raw == s.subject_raw && cert::is_signed_by(leaf, &s.spki_der));
    if !signed || (case != Case::IssuerNotCa && found.chain.len() != 1) {
        return other("the certificate is not signed as the case needs");
    }
    for issuer in std::iter::once(&found.ca)
        .chain(&found.other_ca)
        .chain(found.chain.get(1))
    {
        if issuer.not_after - now < Duration::days(RENEW_WITHIN_DAYS) {
            return Ok(Some(Misfit::Dates(
                "an issuer expires within 30 days".to_owned(),
            )));
        }
    }
    let want_names = if case == Case::NoSan {
        Vec::new()
    } else {
        case.names()
    };
    if leaf.names != want_names || leaf.common_name.as_deref() != Some(&case.names()[0].to_string())
    {
        return other("the names are not the case's");
    }
    let eku_ok = if case == Case::ClientOnlyEku {
        !leaf.server_auth && leaf.client_auth
    } else {
        leaf.server_auth && !leaf.client_auth
    };
    if !eku_ok {
        return other("the extendedKeyUsage is not the case's");
    }
    Ok(case.dates().misfit(leaf, now).map(Misfit::Dates))
}

/// The DER of the first PEM block in `bytes`.
fn pem_der(bytes: &[u8]) -> Option<Vec<u8>> {
    ::pem::parse(bytes).ok().map(::pem::Pem::into_contents)
}

/// The files of a fresh `case`: (name, contents, mode), the certificates before the key,
/// as [`store::DirLock::write_all`] wants them (a run killed between the renames never
/// leaves a key without its certificate).
fn make(
    case: Case,
    ca: &Ca,
    ca_pem: &[u8],
    kt: KeyType,
    now: OffsetDateTime,
) -> Result<Vec<(String, String, u32)>> {
    let key = issue::generate_key(kt)?;
    let names = case.names();
    let profile = ServerProfile {
        common_name: names[0].to_string(),
        names,
        days: DAYS,
        client_auth: false,
        not_after_cap: None,
        window: case.dates().window(now),
    };
    let mut params = issue::server_params(&profile, &key, now)?;
    match case {
        Case::NoSan => params.subject_alt_names.clear(),
        Case::ClientOnlyEku => {
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        }
        _ => {}
    }
    let ca_text = String::from_utf8_lossy(ca_pem).into_owned();
    let mut other_ca_pem = None;
    let mut trusted_pem = ca_text;
    let (cert_pem, key_pem) = match case {
        Case::UntrustedCa | Case::CaWithoutKeyUsage => {
            let (own, own_pem) = new_ca(case, kt, now)?;
            let issued = issue::sign_server(&params, &key, &own)?;
            if case == Case::UntrustedCa {
                other_ca_pem = Some(own_pem);
            } else {
                trusted_pem = own_pem;
            }
            (issued.cert_pem, issued.key_pem)
        }
        Case::SelfSigned => {
            let issued = issue::self_sign(&params, &key)?;
            (issued.cert_pem, issued.key_pem)
        }
        Case::IssuerNotCa => {
            // An ordinary server certificate of the fixtures CA, used to sign.
            let not_ca_key = issue::generate_key(kt)?;
            let not_ca_profile = ServerProfile {
                common_name: "aitls fixtures: not a CA".into(),
                names: vec![SanName::Dns("not-a-ca.fixtures.test".into())],
                days: DAYS,
                client_auth: false,
                not_after_cap: None,
                window: None,
            };
            let not_ca = issue::issue_server(ca, &not_ca_profile, &not_ca_key, now)?;
            let signer = Ca {
                cert: cert::parse_pem(not_ca.cert_pem.as_bytes())
                    .map_err(|e| Error::Crypto(format!("re-reading a fixture: {e}")))?,
                key: not_ca_key,
            };
            let issued = issue::sign_server(&params, &key, &signer)?;
            (issued.cert_pem + &not_ca.cert_pem, issued.key_pem)
        }
        Case::KeyMismatch => {
            let issued = issue::sign_server(&params, &key, ca)?;
            let other_key = issue::generate_key(kt)?;
            (issued.cert_pem, other_key.serialize_pem())
        }
        _ => {
            let issued = issue::sign_server(&params, &key, ca)?;
            (issued.cert_pem, issued.key_pem)
        }
    };
    let mut files = vec![(store::CA_CERT.to_owned(), trusted_pem, CERT_MODE)];
    if let Some(pem) = other_ca_pem {
        files.push((store::OTHER_CA_CERT.to_owned(), pem, CERT_MODE));
    }
    files.push((store::cert_file(store::DEFAULT_STEM), cert_pem, CERT_MODE));
    files.push((store::key_file(store::DEFAULT_STEM), key_pem, KEY_MODE));
    Ok(files)
}

/// A CA of the case's own (its key is not kept: a case that needs reissuing gets a new
/// one): another CA for `untrusted-ca`, a CA without keyUsage for `ca-without-keyusage`.
fn new_ca(case: Case, kt: KeyType, now: OffsetDateTime) -> Result<(Ca, String)> {
    let key = issue::generate_key(kt)?;
    let cn = if case == Case::UntrustedCa {
        "aitls fixtures: another CA"
    } else {
        "aitls fixtures: CA without keyUsage"
    };
    let mut params = issue::ca_params(
        &CaProfile {
            common_name: cn.into(),
            days: CA_DAYS,
            name_constraints: None,
            pathlen: 0,
        },
        now,
    )?;
    if case == Case::CaWithoutKeyUsage {
        params.key_usages.clear();
    }
    let issued = issue::self_sign(&params, &key)?;
    let cert = cert::parse_pem(issued.cert_pem.as_bytes())
        .map_err(|e| Error::Crypto(format!("re-reading a fixture CA: {e}")))?;
    Ok((Ca { cert, key }, issued.cert_pem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_names_round_trip_and_unknown_ones_list_the_cases() {
        for c in Case::ALL {
            assert_eq!(c.name().parse::<Case>(), Ok(c));
        }
        let err = "bad".parse::<Case>().unwrap_err();
        assert!(err.contains("ca-without-keyusage"), "{err}");
    }
}
