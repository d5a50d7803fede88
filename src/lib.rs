//! aitls: a private CA and server certificates for a stack of AI services, in one line.
//!
//! This library holds everything the `aitls` binary does that is not command-line glue:
//! name validation ([`names`]), the key types ([`key_type`]), key generation and
//! certificate profiles ([`issue`]), reading existing certificates ([`cert`]), the pure
//! keep/renew/replace decision ([`plan`]), the certificate directory with its file names,
//! lock and atomic writes ([`store`]) and the read-decide-write pipelines that tie them
//! together ([`provision`]), the AI services' settings for a directory ([`services`]), and
//! the two read-only views: would a TLS client accept a certificate ([`verify`]), and what
//! a certificate, CSR or key says ([`inspect`]).
//!
//! The library returns facts and fixes, the binary words them: what the user should do
//! next is a [`fix::Fix`], never a sentence naming an `aitls` command. It never prints,
//! never reads environment variables and never exits. Only [`store`] reads and writes the
//! certificate directory and other files; [`issue`] reads `/proc/stat` to count idle CPUs.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ca_fitness;
pub mod cert;
pub mod clients;
pub mod clock;
pub mod constraints;
pub mod error;
pub mod export;
pub mod fix;
pub mod fixtures;
pub mod inspect;
pub mod issue;
pub mod key_type;
pub mod keyfile;
pub mod names;
pub mod plan;
pub mod probe;
pub mod project;
pub mod provision;
pub mod services;
pub mod sign;
pub mod store;
pub mod sync;
pub mod truststore;
pub mod verify;
pub mod webpki_error;

pub use error::{Error, ErrorKind};
