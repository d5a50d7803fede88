//! `aitls inspect`'s parser: any bytes (PEM, DER, bundles, CSRs, keys) into views, and the
//! directory linking that re-parses certificates and checks signatures.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    if let Ok(mut items) = aitls::inspect::inspect("fuzz", data, Some(0o600), now) {
        aitls::inspect::link(&mut items);
    }
    let _ = aitls::inspect::public_key_of_private(data);
});
