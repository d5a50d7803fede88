//! The one integration-test binary: each module exercises one subcommand through the real
//! `aitls` binary, real files and real `openssl`/`curl` where they help.

mod util;

mod ca;
mod completions;
mod docs;
mod env;
mod export;
mod fixes;
mod inspect;
mod openbao;
mod probe;
mod proxy;
mod regression;
mod rotation;
mod safety;
mod server;
mod sign;
mod tls;
mod verify;
