//! macOS: the System keychain through `security`, as mkcert's `truststore_darwin.go`.
//! Built on every platform so that it compiles, used only on macOS. UNTESTED: there is no
//! macOS in this project's CI; the commands follow `man security`.

use std::ffi::OsStr;

use super::{CaIdentity, Failure, Location, StoreKind, TrustEnv};

const KEYCHAIN: &str = "/Library/Keychains/System.keychain";

struct Keychain {
    env: TrustEnv,
}

pub(super) fn find(env: &TrustEnv) -> Result<Vec<Box<dyn Location>>, String> {
    if !std::path::Path::new(KEYCHAIN).exists() {
        return Err(format!("{KEYCHAIN} does not exist"));
    }
    Ok(vec![Box::new(Keychain { env: env.clone() })])
}

impl Keychain {
    fn security(&self, args: &[&OsStr]) -> Result<Vec<u8>, Failure> {
        let tool = super::tool_or_missing(&self.env, "security", "macOS (built in)")?;
        super::run_tool(&tool, args)
    }
}

impl Location for Keychain {
    fn kind(&self) -> StoreKind {
        StoreKind::System
    }

    fn describe(&self) -> String {
        KEYCHAIN.into()
    }

    fn contains(&self, ca: &CaIdentity) -> Result<bool, Failure> {
        // -Z prints "SHA-256 hash: <HEX>" for each match.
        let out = self.security(&[
            "find-certificate".as_ref(),
            "-a".as_ref(),
            "-Z".as_ref(),
            "-c".as_ref(),
            ca.common_name.as_ref(),
            KEYCHAIN.as_ref(),
        ]);
        let hex = ca.fingerprint_sha256.replace(':', "");
        match out {
            Ok(text) => Ok(String::from_utf8_lossy(&text)
                .to_ascii_uppercase()
                .contains(&hex)),
            Err(Failure::Tool { message, .. }) if message.contains("could not be found") => {
                Ok(false)
            }
            Err(f) => Err(f),
        }
    }

    fn add(&self, ca: &CaIdentity) -> Result<(), Failure> {
        let file = super::ca_file(ca)?;
        self.security(&[
            "add-trusted-cert".as_ref(),
            "-d".as_ref(),
            "-r".as_ref(),
            "trustRoot".as_ref(),
            "-k".as_ref(),
            KEYCHAIN.as_ref(),
            file.as_os_str(),
        ])
        .map(drop)
    }

    fn delete(&self, ca: &CaIdentity) -> Result<(), Failure> {
        let hex = ca.fingerprint_sha256.replace(':', "");
        self.security(&[
            "delete-certificate".as_ref(),
            "-Z".as_ref(),
            hex.as_ref(),
            "-t".as_ref(),
            KEYCHAIN.as_ref(),
        ])
        .map(drop)
    }
}
