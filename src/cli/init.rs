//! `aitls init`: writes a commented `aitls.toml` for the seed's stack (SPEC §5), never
//! over an existing one, and names the next command.

use std::path::PathBuf;
use std::process::ExitCode;

use aitls::project::FILE_NAME;
use clap::Args;
use serde::Serialize;

use super::{Globals, Output};

/// Write an aitls.toml for the AI services' stack (YOLO26, Nemotron, backend client)
///
/// Writes aitls.toml in the current directory (or the --manifest file): the CA, a
/// certificate for YOLO26 and one for Nemotron on localhost, and a client certificate for
/// the backend (mTLS), every key commented. It never overwrites an existing file. Then
/// edit it and run `aitls sync`, from this directory or any below it.
///
/// Examples:
///   aitls init && aitls sync
///   aitls --manifest deploy/aitls.toml init
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InitArgs {}

/// The file `aitls init` writes: SPEC §5's example, with every key explained. Hooks are
/// commented out: a first `aitls sync` must not restart services that are not set up.
pub const TEMPLATE: &str = r#"# aitls.toml: the certificates of this stack (SPEC §5). Every aitls command run in this
# directory or below it uses this file; --dir and AITLS_DIR still choose another directory.
# `aitls sync` creates or renews the CA and then every [certs.*] entry, in this order.

dir = "ai/certs"                 # the certificate directory, relative to this file

[ca]                             # optional; the options of `aitls ca`
cn = "AI Services CA"            # subject common name of a new CA
key_type = "rsa4096"             # rsa2048 rsa3072 rsa4096 ecdsa-p256 ecdsa-p384 ed25519
days = 365                       # validity of a new or renewed CA, 1 to 3650
# renew_within = 30              # renew the CA when it expires within this many days
# permit = ["local"]             # a leak-safe CA: only localhost, .internal, loopback … (--permit)

[certs.yolo26]                   # the stem: DIR/yolo26.crt and DIR/yolo26.key
names = ["localhost", "127.0.0.1", "::1"]   # DNS names and IP addresses
key_type = "rsa2048"             # optional, like every key below: the options of `aitls server`
service = "yolo26"               # `aitls env` prints YOLO26_SSL_* for this stem
url = "https://localhost:8095"   # `aitls env` (YOLO26_URL) and `aitls probe`
# on_change = "systemctl restart yolo26"   # run after this pair was created, renewed or replaced
# days = 365                     # validity, 1 to 825
# renew_within = 30              # reissue when it expires within this many days
# cn = "localhost"               # subject common name, one of the names

[certs.nemotron]
names = ["localhost", "127.0.0.1", "::1"]
service = "nemotron"             # LLAMA_ARG_SSL_* and NEMOTRON_URL
url = "https://localhost:8091"
# on_change = "systemctl restart llama-server"

[certs.backend]
names = ["backend"]
client = true                    # adds clientAuth for mTLS, as --client
"#;

/// What `aitls init --json` prints.
#[derive(Debug, Serialize)]
struct Written {
    /// The file written.
    path: PathBuf,
    /// The command to run next.
    next: String,
}

/// Runs `aitls init`.
pub fn run(_args: &InitArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    // A file named by --manifest or AITLS_MANIFEST, else one here: not the one found in a
    // parent directory, which `init` would otherwise refuse to overwrite.
    let path = match (&globals.manifest, globals.manifest_named) {
        (Some(named), true) => named.clone(),
        _ => PathBuf::from(FILE_NAME),
    };
    // Absolute, so the refusal and the report name the file wherever they are read.
    let path = std::path::absolute(&path).unwrap_or(path);
    aitls::store::write_new(&path, TEMPLATE.as_bytes(), 0o644)?;
    if let Some(found) = globals.manifest.as_ref().filter(|m| **m != path) {
        out.warn(&format!(
            "{} exists in a parent directory; below here, {} takes its place",
            found.display(),
            path.display()
        ));
    }
    let next = globals.words.aitls("sync");
    if out.json() {
        out.json_doc(&Written { path, next })?;
    } else {
        out.text(&format!(
            "created {}: the CA, yolo26, nemotron and the backend's client certificate\n\
             next: edit it, then run `{next}`\n",
            path.display()
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_valid_project_file_for_the_seeds_stack() {
        let project =
            aitls::project::parse(std::path::Path::new("/p/aitls.toml"), TEMPLATE).unwrap();
        let stems: Vec<&str> = project.certs.iter().map(|c| c.stem.as_str()).collect();
        assert_eq!(stems, ["yolo26", "nemotron", "backend"]);
        assert!(project.certs.iter().all(|c| c.on_change.is_none()));
    }
}
