//! Windows: the machine's ROOT store through `certutil.exe`. Built on every platform so
//! that it compiles, used only on Windows. UNTESTED: there is no Windows in this project's
//! CI; the commands follow Microsoft's `certutil` documentation.

use std::ffi::OsStr;

use super::{CaIdentity, Failure, Location, StoreKind, TrustEnv};

struct Root {
    env: TrustEnv,
}

pub(super) fn find(env: &TrustEnv) -> Result<Vec<Box<dyn Location>>, String> {
    super::find_tool(env, "certutil.exe")
        .map(|_| vec![Box::new(Root { env: env.clone() }) as Box<dyn Location>])
        .ok_or_else(|| "certutil.exe is not on PATH".into())
}

impl Root {
    fn certutil(&self, args: &[&OsStr]) -> Result<Vec<u8>, Failure> {
        let tool = super::tool_or_missing(&self.env, "certutil.exe", "Windows (built in)")?;
        super::run_tool(&tool, args)
    }

    /// certutil names certificates by their SHA-1 hash.
    fn sha1(ca: &CaIdentity) -> String {
        let digest =
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &ca.der);
        hex::encode(digest.as_ref())
    }
}

impl Location for Root {
    fn kind(&self) -> StoreKind {
        StoreKind::System
    }

    fn describe(&self) -> String {
        "ROOT (certutil.exe)".into()
    }

    fn contains(&self, ca: &CaIdentity) -> Result<bool, Failure> {
        let sha1 = Self::sha1(ca);
        match self.certutil(&["-store".as_ref(), "ROOT".as_ref(), sha1.as_ref()]) {
            Ok(_) => Ok(true),
            Err(Failure::Tool { .. }) => Ok(false),
            Err(f) => Err(f),
        }
    }

    fn add(&self, ca: &CaIdentity) -> Result<(), Failure> {
        let file = super::ca_file(ca)?;
        self.certutil(&[
            "-addstore".as_ref(),
            "-f".as_ref(),
            "ROOT".as_ref(),
            file.as_os_str(),
        ])
        .map(drop)
    }

    fn delete(&self, ca: &CaIdentity) -> Result<(), Failure> {
        let sha1 = Self::sha1(ca);
        self.certutil(&["-delstore".as_ref(), "ROOT".as_ref(), sha1.as_ref()])
            .map(drop)
    }
}
