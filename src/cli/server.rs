//! `aitls server`: arguments → [`aitls::provision::ensure_server`] → output.

use std::process::ExitCode;

use aitls::issue::{MAX_SERVER_DAYS, Window};
use aitls::key_type::KeyType;
use aitls::provision::{self, DEFAULT_RENEW_WITHIN_DAYS, ServerRequest};
use aitls::store::{DEFAULT_STEM, Store};
use clap::Args;

use super::{Globals, Output};

/// Issue a server certificate signed by the CA in DIR, or keep a current one
///
/// Writes DIR/STEM.crt (0644) and DIR/STEM.key (0600). An existing pair is kept while it
/// matches the request and has more than --renew-within days left; otherwise it is
/// reissued with a fresh key and the output says why. What is not given on the command
/// line (names, --cn, --key-type, --client) is taken from the existing certificate, so a
/// plain `aitls server` from cron renews it as it was issued; the defaults apply only
/// when nothing exists. With an aitls.toml, --out STEM and no NAME use the entry
/// [certs.STEM]: its names and options, under those given on the command line.
///
/// Examples:
///   aitls server                              # localhost 127.0.0.1 ::1, RSA-2048, 365 days
///   aitls server yolo.internal 10.0.0.5 --key-type ecdsa-p256
///   aitls server --out nemotron --client llm.local
///   aitls server --not-before 2020-01-01T00:00:00Z --not-after 2020-02-01T00:00:00Z
///                                             # an expired one, for a test: never renewed
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ServerArgs {
    /// DNS names and IP addresses; they replace the names [default: the existing
    /// certificate's, else localhost 127.0.0.1 ::1]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// Subject common name, one of the names (default: the existing certificate's, else the
    /// first DNS name, else the first IP address)
    #[arg(long, value_name = "NAME")]
    pub cn: Option<String>,

    /// Validity in days (1..=825; Apple platforms reject longer) [default: 365]
    #[arg(long, value_name = "DAYS",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SERVER_DAYS)))]
    pub days: Option<u32>,

    /// Key algorithm [default: the existing certificate's, else rsa2048]
    #[arg(long, value_name = "KT", value_parser = super::key_type_parser())]
    pub key_type: Option<KeyType>,

    /// File stem: writes DIR/STEM.crt and DIR/STEM.key
    #[arg(long, value_name = "STEM", default_value = DEFAULT_STEM)]
    pub out: String,

    /// Also allow the certificate for TLS client authentication (mTLS); kept on renewal
    #[arg(long, overrides_with = "no_client")]
    pub client: bool,

    /// Drop TLS client authentication from a certificate issued with --client
    #[arg(long, overrides_with = "client")]
    pub no_client: bool,

    /// Reissue even when the existing certificate is current
    #[arg(long)]
    pub force: bool,

    /// Reissue when the certificate expires within DAYS
    #[arg(long, value_name = "DAYS", default_value_t = DEFAULT_RENEW_WITHIN_DAYS)]
    pub renew_within: u32,

    /// Start of an explicit validity window, RFC 3339 (with --not-after): issued as asked,
    /// past ones included, and never renewed automatically
    #[arg(long, value_name = "TIME", requires = "not_after", conflicts_with = "days",
          value_parser = super::verify::parse_time)]
    pub not_before: Option<time::OffsetDateTime>,

    /// End of the explicit validity window, RFC 3339 (with --not-before)
    #[arg(long, value_name = "TIME", requires = "not_before",
          value_parser = super::verify::parse_time)]
    pub not_after: Option<time::OffsetDateTime>,
}

/// Runs `aitls server`.
pub fn run(args: &ServerArgs, globals: &Globals, out: &Output) -> anyhow::Result<ExitCode> {
    let mut request = ServerRequest {
        names: if args.names.is_empty() {
            None
        } else {
            Some(aitls::names::parse_all(&args.names)?)
        },
        common_name: args
            .cn
            .as_deref()
            .map(aitls::names::check_common_name)
            .transpose()?,
        days: args.days,
        key_type: args.key_type,
        client_auth: match (args.client, args.no_client) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        stem: args.out.clone(),
        force: args.force,
        renew_within_days: args.renew_within,
        window: window(args),
    };
    // SPEC §5: without names, `--out STEM` is the project file's entry for STEM; what the
    // command line gives still wins.
    let entry = globals
        .project
        .as_ref()
        .filter(|_| args.names.is_empty())
        .and_then(|project| project.cert(&args.out));
    if let Some(entry) = entry {
        let declared = aitls::sync::server_request(entry);
        request.names = declared.names;
        request.common_name = request.common_name.or(declared.common_name);
        request.days = request.days.or(declared.days);
        request.key_type = request.key_type.or(declared.key_type);
        request.client_auth = request.client_auth.or(declared.client_auth);
        if !globals.given("renew_within") {
            request.renew_within_days = declared.renew_within_days;
        }
    }
    let store = Store::new(&globals.dir);
    let spinner = out.spinner();
    let outcome = provision::ensure_server(&store, &request, aitls::clock::now()?, &spinner)?;
    super::show_outcome(out, globals, "server certificate", &outcome)?;
    Ok(ExitCode::SUCCESS)
}

/// The explicit validity window, when `--not-before` and `--not-after` are given.
fn window(args: &ServerArgs) -> Option<Window> {
    Some(Window {
        not_before: args.not_before?,
        not_after: args.not_after?,
    })
}
