//! `aitls ca`: arguments → [`aitls::provision::ensure_ca`] → output.

use std::process::ExitCode;

use aitls::issue::MAX_CA_DAYS;
use aitls::key_type::KeyType;
use aitls::provision::{self, CaRequest, DEFAULT_RENEW_WITHIN_DAYS};
use aitls::store::Store;
use clap::Args;

use super::{Globals, Output};

/// Create the private CA, or keep the one in DIR (renewing it when due)
///
/// Writes DIR/ca.crt (0644) and DIR/ca.key (0600). When both exist and match, they are
/// kept and the command succeeds, so it is safe in Makefiles and cron. Within
/// --renew-within days of its end (or with --renew) the CA certificate is renewed for the
/// same key and subject: certificates issued before keep verifying, and copies of ca.crt
/// elsewhere must be refreshed. A lone or mismatched file is never overwritten without
/// --force, and only --force makes a new key. The [ca] table of aitls.toml counts as
/// given, under the command line.
///
/// With --permit the CA is leak-safe: it can only vouch for the names it permits, so a
/// stolen ca.key cannot impersonate other sites to the clients that enforce name
/// constraints (Chromium, curl, Python, node, Go, rustls; not Java). Recommended before
/// `aitls trust`.
///
/// Examples:
///   aitls ca                            # RSA-4096 "AI Services CA", 365 days, in ai/certs
///   aitls ca --permit local             # only localhost, .test, .internal, loopback ...
///   aitls ca --renew --days 3650        # same key, ten more years
///   aitls -d /etc/ai/certs ca --key-type ecdsa-p256 --permit .lab.example.com
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CaArgs {
    /// Subject common name of a new CA [default: AI Services CA]
    #[arg(long, value_name = "NAME")]
    pub cn: Option<String>,

    /// Validity in days, of a new or renewed CA (1..=3650) [default: 365]
    #[arg(long, value_name = "DAYS",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_CA_DAYS)))]
    pub days: Option<u32>,

    /// Key algorithm of a new CA [default: rsa4096]
    #[arg(long, value_name = "KT", value_parser = super::key_type_parser())]
    pub key_type: Option<KeyType>,

    /// Replace an existing CA with a new key (every client must then trust the new ca.crt)
    #[arg(long)]
    pub force: bool,

    /// Renew the CA certificate now, for the same key and subject
    #[arg(long, conflicts_with = "force")]
    pub renew: bool,

    /// Renew the CA certificate when it expires within DAYS
    #[arg(long, value_name = "DAYS", default_value_t = DEFAULT_RENEW_WITHIN_DAYS)]
    pub renew_within: u32,

    /// A new or renewed CA may sign N levels of intermediates (aitls sign --intermediate) [default: 0]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=8))]
    pub pathlen: Option<u8>,
    /// Permit only these names (repeatable): example.com (it and every name under it),
    /// .example.com (only names under it), 10.0.0.0/8, ::1/128, or `local` for localhost,
    /// .localhost, .test, .internal, .home.arpa, 127.0.0.0/8 and ::1/128. Without an IP
    /// range, no IP address is permitted
    #[arg(long, value_name = "NAME")]
    pub permit: Vec<String>,
}

/// Runs `aitls ca`.
pub fn run(args: &CaArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let mut request = CaRequest {
        common_name: args
            .cn
            .as_deref()
            .map(aitls::names::check_common_name)
            .transpose()?,
        days: args.days,
        key_type: args.key_type,
        force: args.force,
        renew: args.renew,
        renew_within_days: args.renew_within,
        pathlen: args.pathlen,
        name_constraints: aitls::constraints::for_permits(&args.permit)?,
    };
    // SPEC §2, §5: the project file's [ca] counts as given, under the command line.
    if let Some(project) = &globals.project {
        let declared = aitls::sync::ca_request(&project.ca);
        request.common_name = request.common_name.or(declared.common_name);
        request.days = request.days.or(declared.days);
        request.key_type = request.key_type.or(declared.key_type);
        request.name_constraints = request.name_constraints.or(declared.name_constraints);
        if !globals.given("renew_within") {
            request.renew_within_days = declared.renew_within_days;
        }
    }
    let store = Store::new(&globals.dir);
    let spinner = out.spinner();
    // Run from a subdirectory of a project whose CA is above: this makes a second CA.
    let above = match store.path(aitls::store::CA_CERT).exists() {
        true => None,
        false => store.find_upward(aitls::store::CA_CERT),
    };
    let mut outcome = provision::ensure_ca(&store, &request, aitls::clock::now()?, &spinner)?;
    if let Some(above) = above {
        outcome.warnings.insert(
            0,
            aitls::fix::Warning::from(format!(
                "a CA already exists in {}; this made a second, unrelated CA in {}, which clients that trust the first do not trust (aitls -d {} … uses the first)",
                above.display(),
                store.absolute_dir().display(),
                super::quote::shell_quote(&above.to_string_lossy())
            )),
        );
    }
    if request
        .name_constraints
        .as_ref()
        .is_some_and(aitls::constraints::dns_unconstrained)
    {
        outcome.warnings.push(aitls::fix::Warning {
            message: "--permit gives only IP ranges, so DNS names are not constrained; add --permit NAME for the DNS names too".into(),
            fix: None,
        });
    }
    super::show_outcome(out, globals, "CA", &outcome)?;
    Ok(ExitCode::SUCCESS)
}
