//! Java's `cacerts`: the keystore of `$JAVA_HOME`, or of the `java` found on PATH (its real
//! path, through the symlinks Debian's alternatives put in between), through the JDK's own
//! `keytool`.
//!
//! A `JAVA_HOME` without a keystore is reported as a failed store, never a reason to stop
//! (mkcert aborts every store on it).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{CaIdentity, Failure, Location, StoreKind, TrustEnv};

/// The password every JDK ships `cacerts` with; it guards integrity, not secrecy, and
/// mkcert, Debian's ca-certificates-java and the JDK docs all use it.
const STOREPASS: &str = "changeit";

/// keytool comes with every Java runtime.
const PACKAGE: &str =
    "default-jre-headless on Debian/Ubuntu, java-latest-openjdk-headless on Fedora";

struct Java {
    java_home: PathBuf,
    /// The keystore; `None` when `java_home` has none.
    keystore: Option<PathBuf>,
    env: TrustEnv,
}

fn keystore_of(java_home: &Path) -> Option<PathBuf> {
    // JDK 9+ and JDK 8's layout.
    ["lib/security/cacerts", "jre/lib/security/cacerts"]
        .map(|p| java_home.join(p))
        .into_iter()
        .find(|p| p.is_file())
}

pub(super) fn find(env: &TrustEnv) -> Result<Vec<Box<dyn Location>>, String> {
    let java_home = match &env.java_home {
        Some(home) => home.clone(),
        None => {
            let java = super::find_tool(env, "java")
                .ok_or_else(|| "no JAVA_HOME and no java on PATH".to_owned())?;
            let real =
                std::fs::canonicalize(&java).map_err(|e| format!("{}: {e}", java.display()))?;
            // …/bin/java → …
            real.parent()
                .and_then(Path::parent)
                .map(Path::to_owned)
                .ok_or_else(|| format!("cannot tell the Java home of {}", real.display()))?
        }
    };
    Ok(vec![Box::new(Java {
        keystore: keystore_of(&java_home),
        java_home,
        env: env.clone(),
    })])
}

impl Java {
    fn keystore(&self) -> Result<&Path, Failure> {
        self.keystore.as_deref().ok_or_else(|| Failure::NoStore {
            looked: format!(
                "{} has no lib/security/cacerts; is JAVA_HOME right?",
                self.java_home.display()
            ),
        })
    }

    fn keytool(&self, args: &[&OsStr]) -> Result<Vec<u8>, Failure> {
        self.keytool_with_input(args, None)
    }

    fn keytool_with_input(
        &self,
        args: &[&OsStr],
        input: Option<&[u8]>,
    ) -> Result<Vec<u8>, Failure> {
        let keystore = self.keystore()?;
        let own = self.java_home.join("bin/keytool");
        let tool = if own.is_file() {
            own
        } else {
            super::tool_or_missing(&self.env, "keytool", PACKAGE)?
        };
        let mut all: Vec<&OsStr> = args.to_vec();
        all.extend([
            OsStr::new("-keystore"),
            keystore.as_os_str(),
            OsStr::new("-storepass"),
            OsStr::new(STOREPASS),
        ]);
        super::run_tool_with_input(&tool, &all, input)
    }

    /// The aliases under which the keystore holds `ca`'s certificate.
    fn aliases_of(&self, ca: &CaIdentity) -> Result<Vec<String>, Failure> {
        let listing = self.keytool(&["-list".as_ref(), "-rfc".as_ref()])?;
        Ok(aliases_holding(&String::from_utf8_lossy(&listing), &ca.der))
    }

    fn writable(&self) -> Result<(), Failure> {
        let keystore = self.keystore()?;
        std::fs::OpenOptions::new()
            .append(true)
            .open(keystore)
            .map(drop)
            .map_err(|e| super::write_failure(keystore, &e))
    }
}

impl Location for Java {
    fn kind(&self) -> StoreKind {
        StoreKind::Java
    }

    fn describe(&self) -> String {
        match &self.keystore {
            Some(k) => k.display().to_string(),
            None => self.java_home.display().to_string(),
        }
    }

    fn contains(&self, ca: &CaIdentity) -> Result<bool, Failure> {
        // Any alias counts: Debian's ca-certificates-java hook also copies the system
        // store's anchors in, as `debian:<file>`; what Java trusts is what matters.
        Ok(!self.aliases_of(ca)?.is_empty())
    }

    fn add(&self, ca: &CaIdentity) -> Result<(), Failure> {
        self.writable()?;
        let alias = ca.slug();
        // Without -file, keytool reads the certificate from stdin.
        self.keytool_with_input(
            &[
                "-importcert".as_ref(),
                "-noprompt".as_ref(),
                "-alias".as_ref(),
                alias.as_ref(),
            ],
            Some(ca.pem.as_bytes()),
        )
        .map(drop)
    }

    fn delete(&self, ca: &CaIdentity) -> Result<(), Failure> {
        self.writable()?;
        let alias = ca.slug();
        // Only aitls's own entry; one under another alias is reported by the re-read.
        if self.aliases_of(ca)?.contains(&alias) {
            self.keytool(&["-delete".as_ref(), "-alias".as_ref(), alias.as_ref()])?;
        }
        Ok(())
    }
}

/// Reads `keytool -list -rfc`: "Alias name: X" lines, each followed by its PEM
/// certificate; returns the aliases whose certificate is `der`.
fn aliases_holding(listing: &str, der: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut alias = None;
    let mut pem = String::new();
    for line in listing.lines() {
        if let Some(name) = line.strip_prefix("Alias name: ") {
            alias = Some(name.trim().to_owned());
        } else if line.starts_with("-----BEGIN CERTIFICATE-----") {
            pem = format!("{line}\n");
        } else if !pem.is_empty() {
            pem.push_str(line);
            pem.push('\n');
            if line.starts_with("-----END CERTIFICATE-----") {
                if super::pem_certs(pem.as_bytes()).first().map(Vec::as_slice) == Some(der) {
                    found.extend(alias.clone());
                }
                pem.clear();
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keytool_listings_are_read_alias_by_alias() {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let cert = rcgen::CertificateParams::default()
            .self_signed(&key)
            .unwrap();
        let listing = format!(
            "Keystore type: PKCS12\n\nAlias name: other\nEntry type: trustedCertEntry\n\n{}\n\nAlias name: debian:x.pem\n\n{}",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            cert.pem()
        );
        assert_eq!(aliases_holding(&listing, cert.der()), ["debian:x.pem"]);
        assert!(aliases_holding("", cert.der()).is_empty());
    }
}
