//! The one integration-test binary: each module exercises one subcommand through the real
//! `aitls` binary, real files and real `openssl`/`curl` where they help.

mod util;

mod ca;
mod clients;
mod clock;
mod completions;
mod constraints;
mod docs;
mod env;
mod export;
mod fitness;
mod fixes;
mod fixtures;
mod inspect;
mod keys;
mod openbao;
mod probe;
mod project;
mod proxy;
mod regression;
mod rotation;
mod safety;
mod server;
mod sign;
mod sync;
mod tls;
mod trust;
mod verify;
