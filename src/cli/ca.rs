//! `aitls ca`: arguments → [`aitls::provision::ensure_ca`] → output.

use std::process::ExitCode;

use aitls::issue::MAX_CA_DAYS;
use aitls::key_type::KeyType;
use aitls::provision::{self, CaRequest};
use aitls::store::Store;
use clap::Args;

use super::{Globals, Output};

/// Create the private CA, or keep the one in DIR
///
/// Writes DIR/ca.crt (0644) and DIR/ca.key (0600). When both exist and match, they are
/// kept and the command succeeds, so it is safe in Makefiles and CI; a lone or mismatched
/// file is never overwritten without --force.
///
/// Examples:
///   aitls ca                            # RSA-4096 "AI Services CA", 365 days, in ai/certs
///   aitls ca --key-type ecdsa-p256 --days 3650
///   aitls -d /etc/ai/certs ca --cn "Lab CA" --force
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CaArgs {
    /// Subject common name of the CA
    #[arg(long, value_name = "NAME", default_value = "AI Services CA")]
    pub cn: String,

    /// Validity in days (1..=3650)
    #[arg(long, value_name = "DAYS", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_CA_DAYS)))]
    pub days: u32,

    /// Key algorithm
    #[arg(long, value_name = "KT", default_value = "rsa4096", value_parser = super::key_type_parser())]
    pub key_type: KeyType,

    /// Replace an existing CA (every server certificate must then be reissued)
    #[arg(long)]
    pub force: bool,
}

/// Runs `aitls ca`.
pub fn run(args: &CaArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let mut request = CaRequest {
        common_name: aitls::names::check_common_name(&args.cn)?,
        days: args.days,
        key_type: args.key_type,
        force: args.force,
    };
    // SPEC §5: the project file's [ca] fills what the command line does not give.
    if let Some(project) = &globals.project {
        let declared = aitls::sync::ca_request(&project.ca);
        if !globals.given("cn") {
            request.common_name = declared.common_name;
        }
        if !globals.given("days") {
            request.days = declared.days;
        }
        if !globals.given("key_type") {
            request.key_type = declared.key_type;
        }
    }
    let store = Store::new(&globals.dir);
    let spinner = out.spinner();
    let outcome =
        provision::ensure_ca(&store, &request, time::OffsetDateTime::now_utc(), &spinner)?;
    super::show_outcome(out, globals, "CA", &outcome)?;
    Ok(ExitCode::SUCCESS)
}
