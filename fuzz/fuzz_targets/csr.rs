//! The CSR reader behind `aitls sign`: any bytes, PEM or DER, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(csr) = aitls::sign::parse_csr(data) {
        let _ = aitls::names::parse_all(&csr.names);
    }
});
