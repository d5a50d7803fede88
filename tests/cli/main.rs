//! The one integration-test binary: each module exercises one subcommand through the real
//! `aitls` binary, real files and real `openssl`/`curl` where they help.

mod util;

mod ca;
mod completions;
mod constraints;
mod docs;
mod env;
mod fixes;
mod inspect;
mod probe;
mod regression;
mod safety;
mod server;
mod tls;
mod trust;
mod verify;
